import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import pMap from 'p-map';
import { randomUUID } from 'node:crypto';
import { Articles } from '../articles/articles.service';
import { readContentFiles } from './content-files';

export const CONTENT_DIR = Symbol('CONTENT_DIR');

/**
 * At start, the product's own help from the repository: a new file becomes a published article; a
 * changed file updates its article unless the operator edited it through the API since (then the
 * API's version stays, and the log says so). Several instances may load at once: the second finds
 * each file loaded already.
 */
@Injectable()
export class ContentLoader implements OnApplicationBootstrap {
  private readonly logger = new Logger(ContentLoader.name);

  constructor(
    private readonly articles: Articles,
    @Inject(CONTENT_DIR) private readonly directory: string,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const started = Date.now();
    const files = await readContentFiles(this.directory);
    const caller = {
      tenantId: 'kb',
      actor: { kind: 'system' as const, id: 'kb-content' },
      correlationId: randomUUID(),
    };
    await pMap(
      files,
      ({ content, hash }) =>
        this.articles.change(caller, content.locale, content.slug, {
          type: 'LoadArticle',
          data: { content, hash },
        }),
      { concurrency: 4 },
    );
    this.logger.log(`help content: ${files.length} files in ${Date.now() - started} ms`);
  }
}
