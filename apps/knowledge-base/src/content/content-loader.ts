import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import pMap from 'p-map';
import { randomUUID } from 'node:crypto';
import { Articles } from '../articles/articles.service';
import type { ArticleContent } from '@clientbook/contracts';
import type { Caller } from '@clientbook/platform';
import { Media } from '../media/media';
import { readContentFiles } from './content-files';
import { renderStepImage, type StepImage } from './step-images';

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
    private readonly media: Media,
    @Inject(CONTENT_DIR) private readonly directory: string,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const started = Date.now();
    const files = await readContentFiles(this.directory);
    const caller: Caller = {
      tenantId: 'kb',
      actor: { kind: 'system', id: 'kb-content' },
      correlationId: randomUUID(),
    };
    await pMap(
      files,
      async ({ content, hash, images }) => {
        const withImages = await this.drawn(caller, content, images);
        await this.articles.change(caller, content.locale, content.slug, {
          type: 'LoadArticle',
          data: { content: withImages, hash },
        });
      },
      { concurrency: 4 },
    );
    this.logger.log(`help content: ${files.length} files in ${Date.now() - started} ms`);
  }

  /** A lesson whose steps describe their pictures, with each picture drawn and stored. */
  private async drawn(
    caller: Caller,
    content: ArticleContent,
    images: readonly (StepImage | null)[],
  ): Promise<ArticleContent> {
    if (!content.steps || images.every((image) => image === null)) return content;
    const steps = await Promise.all(
      content.steps.map(async (step, i) => {
        const image = images[i];
        if (!image) return step;
        const png = renderStepImage(image, `${i + 1}. ${step.title}`);
        const { mediaId } = await this.media.upload(caller, png);
        return { ...step, media: { mediaId, alt: image.alt } };
      }),
    );
    return { ...content, steps };
  }
}
