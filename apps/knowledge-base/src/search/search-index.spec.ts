import type { ArticleContent, EventEnvelope } from '@clientbook/contracts';
import type { ArticlePages } from '../articles/article-pages';
import { SearchIndex } from './search-index';

const content: ArticleContent = {
  slug: 'saskaitu-spausdinimas',
  kind: 'faq',
  locale: 'lt',
  translationKey: 'printing-invoices',
  title: 'Sąskaitų spausdinimas',
  summary: 'PDF',
  body: 'Sąskaitą galima atsisiųsti PDF formatu.',
  module: 'invoices',
  tags: [],
  order: 1,
};

let version = 0;
const envelope = (type: string, data: unknown): EventEnvelope => ({
  eventId: `e${++version}`,
  type,
  schemaVersion: 1,
  tenantId: 'kb',
  aggregateType: 'KbArticle',
  aggregateId: 'lt.saskaitu-spausdinimas',
  aggregateVersion: version,
  occurredAt: '2026-12-04T00:00:00.000Z',
  actor: { kind: 'operator', id: 'operator' },
  correlationId: 'c',
  causationId: null,
  data,
});

describe('the search index’s answers', () => {
  it('are answered again while the index stays as it is, and never outlive a change of it', async () => {
    const index = new SearchIndex({ all: async () => [] } as unknown as ArticlePages);
    await index.onApplicationBootstrap();
    const ask = () => index.find('spausdinimas', { limit: 10 }).map((hit) => hit.slug);
    expect(ask()).toEqual([]);
    await index.apply(envelope('ArticlePublished', { publishedVersion: 1, content }));
    expect(ask()).toEqual(['saskaitu-spausdinimas']);
    expect(index.find('spausdinimas', { limit: 10 })).toBe(index.find('spausdinimas', { limit: 10 }));
    await index.apply(envelope('ArticleUnpublished', {}));
    expect(ask()).toEqual([]);
    await index.apply(
      envelope('ArticlePublished', { publishedVersion: 2, content: { ...content, title: 'Kitas' } }),
    );
    expect(index.find('kitas', { limit: 10 }).map((hit) => hit.title)).toEqual(['Kitas']);
  });
});
