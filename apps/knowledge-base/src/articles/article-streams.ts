import { Injectable } from '@nestjs/common';
import {
  EventEnvelope,
  EventMetadata,
  atCurrentVersions,
  EVENTS,
  KB_ARTICLE_AGGREGATE,
  KB_TENANT,
  type KbEvent,
} from '@clientbook/contracts';
import { EventStore } from '@clientbook/event-store';
import { type Article, evolveArticle, NO_ARTICLE } from '../domain';

/** A stored knowledge-base event as the domain reads it (upcast to its current version). */
export const kbEventOf = (envelope: EventEnvelope): KbEvent => {
  const current = EVENTS.upcast(envelope);
  return { type: current.type, data: current.data } as KbEvent;
};

/** An article's stream id: `lt.kaip-sukurti-klienta` — its locale and slug (a slug is unique per locale, and does not change). */
export const articleId = (locale: string, slug: string): string => `${locale}.${slug}`;

export type LoadedArticle = Readonly<{
  state: Article;
  version: number;
  envelopes: readonly EventEnvelope[];
}>;

/** Articles' streams in the service's event store, all under the knowledge base's own tenant. */
@Injectable()
export class ArticleStreams {
  constructor(private readonly store: EventStore) {}

  async load(locale: string, slug: string): Promise<LoadedArticle> {
    const envelopes = await this.store.readStream(KB_TENANT, articleId(locale, slug));
    return {
      state: envelopes.map(kbEventOf).reduce(evolveArticle, NO_ARTICLE),
      version: envelopes.at(-1)?.aggregateVersion ?? 0,
      envelopes,
    };
  }

  append(
    locale: string,
    slug: string,
    expectedVersion: number,
    events: readonly KbEvent[],
    metadata: EventMetadata,
  ): Promise<EventEnvelope[]> {
    return this.store.append({
      tenantId: KB_TENANT,
      aggregateType: KB_ARTICLE_AGGREGATE,
      aggregateId: articleId(locale, slug),
      expectedVersion,
      events: atCurrentVersions(events),
      metadata,
    });
  }
}
