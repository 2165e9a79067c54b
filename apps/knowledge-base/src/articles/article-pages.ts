import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import type { Collection, Db, Filter } from 'mongodb';
import { type ArticleContent, EventEnvelope, KB_ARTICLE_AGGREGATE } from '@clientbook/contracts';
import { isDuplicateKeyError, Projection } from '@clientbook/event-store';
import { MONGO_DB } from '@clientbook/platform';
import type { Article } from '../domain';
import { articleId, ArticleStreams } from './article-streams';

/** One article as lists and reads need it: its working copy, what is published, its version. */
export type ArticlePage = {
  _id: string;
  locale: string;
  slug: string;
  translationKey: string;
  content: ArticleContent;
  published: ArticleContent | null;
  publishedVersions: number;
  /** The stream's version: the article's ETag. */
  version: number;
  updatedAt: string;
};

/**
 * `kb_articles`: each article as it stands, written through by the change that made it and kept
 * from the kb topic (an instance that did not write it, or a change that died before its page).
 * A page is replaced only by a newer version.
 */
@Injectable()
export class ArticlePages implements Projection, OnApplicationBootstrap {
  readonly name = 'kb-articles';
  readonly collection: Collection<ArticlePage>;

  constructor(
    @Inject(MONGO_DB) db: Db,
    private readonly streams: ArticleStreams,
  ) {
    this.collection = db.collection<ArticlePage>('kb_articles');
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.collection.createIndex({ translationKey: 1 });
  }

  async apply(envelope: EventEnvelope): Promise<void> {
    if (envelope.aggregateType !== KB_ARTICLE_AGGREGATE) return;
    const current = await this.collection.findOne({ _id: envelope.aggregateId });
    if (current && current.version >= envelope.aggregateVersion) return;
    const [locale, slug] = envelope.aggregateId.split('.');
    const loaded = await this.streams.load(locale, slug);
    if (loaded.version < envelope.aggregateVersion)
      throw new Error(
        `the event store shows article ${envelope.aggregateId} at ${loaded.version}, not yet ${envelope.aggregateVersion}`,
      );
    await this.record(locale, slug, loaded.version, loaded.state, loaded.envelopes.at(-1)?.occurredAt ?? '');
  }

  /** Writes an article as a change left it (a deleted one goes). */
  async record(
    locale: string,
    slug: string,
    version: number,
    article: Article,
    updatedAt: string,
  ): Promise<void> {
    const _id = articleId(locale, slug);
    if (!article.exists || !article.content) {
      await this.collection.deleteOne({ _id, version: { $lt: version } });
      return;
    }
    const page: ArticlePage = {
      _id,
      locale,
      slug,
      translationKey: article.content.translationKey,
      content: article.content,
      published: article.published,
      publishedVersions: article.publishedVersions,
      version,
      updatedAt,
    };
    try {
      await this.collection.replaceOne({ _id, version: { $lt: version } }, page, { upsert: true });
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
  }

  find(locale: string, slug: string): Promise<ArticlePage | null> {
    return this.collection.findOne({ _id: articleId(locale, slug) });
  }

  /** Every article (the knowledge base is small: hundreds, not millions). */
  all(filter: Filter<ArticlePage> = {}): Promise<ArticlePage[]> {
    return this.collection.find(filter).toArray();
  }
}
