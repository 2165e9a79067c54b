import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { EventEnvelope, KB_ARTICLE_AGGREGATE } from '@clientbook/contracts';
import type { Projection } from '@clientbook/event-store';
import type { ArticleContent } from '@clientbook/contracts';
import { ArticlePages } from '../articles/article-pages';
import { kbEventOf } from '../articles/article-streams';
import { ArticleSearch, SearchFilters, SearchHit } from './article-search';

const searchable = (content: ArticleContent) => ({
  ...content,
  body: [content.body, ...(content.steps ?? []).map((step) => `${step.title}\n${step.body}`)].join('\n\n'),
});

/**
 * This instance's search over the published articles: read once at start, then kept current from
 * the kb topic (each instance follows it under a group of its own, so every instance agrees).
 */
@Injectable()
export class SearchIndex implements Projection, OnApplicationBootstrap {
  readonly name = 'kb-search';
  readonly handles = ['ArticlePublished', 'ArticleUnpublished', 'ArticleDeleted'];
  private readonly search = new ArticleSearch();
  /**
   * Answers already given, by query and filters, while the index stays as it is: people ask the
   * help centre the same few things. Emptied by every change of the index (this instance's own,
   * from the kb topic), so an answer is never older than what the index holds.
   */
  private readonly answers = new LRUCache<string, SearchHit[]>({ max: 2_000 });
  private readonly logger = new Logger(SearchIndex.name);

  constructor(private readonly pages: ArticlePages) {}

  async onApplicationBootstrap(): Promise<void> {
    for (const page of await this.pages.all()) {
      if (!page.published) continue;
      try {
        this.search.put(searchable(page.published));
      } catch (error) {
        // One article the index cannot take must not keep the help centre from starting.
        this.logger.error({ article: page._id, error: String(error) }, 'article left out of search');
      }
    }
    this.answers.clear();
    this.logger.log(`search index: ${this.search.size} published articles`);
  }

  async apply(envelope: EventEnvelope): Promise<void> {
    if (envelope.aggregateType !== KB_ARTICLE_AGGREGATE) return;
    const [locale, slug] = envelope.aggregateId.split('.');
    const event = kbEventOf(envelope);
    if (event.type === 'ArticlePublished') this.search.put(searchable(event.data.content));
    else this.search.remove(locale, slug);
    this.answers.clear();
  }

  /** How many published articles this instance can find. */
  get size(): number {
    return this.search.size;
  }

  find(query: string, filters: SearchFilters): SearchHit[] {
    const key = JSON.stringify([query, filters.locale, filters.kind, filters.module, filters.limit]);
    const known = this.answers.get(key);
    if (known) return known;
    const hits = this.search.search(query, filters);
    this.answers.set(key, hits);
    return hits;
  }
}
