import MiniSearch from 'minisearch';
import { foldDiacritics, foldWord, wordsOf } from '../domain/lithuanian';

/** What search knows of a published article. */
export type SearchableArticle = Readonly<{
  slug: string;
  locale: string;
  kind: string;
  module: string;
  title: string;
  summary: string;
  body: string;
  tags: readonly string[];
}>;

export type SearchHit = {
  slug: string;
  title: string;
  kind: string;
  locale: string;
  score: number;
  snippet: string;
};

export type SearchFilters = Readonly<{ locale?: string; kind?: string; module?: string; limit: number }>;

/** A typo is forgiven in words of this many letters or more (API.md "Search"). */
const TYPO_FROM = 5;
const SNIPPET = 160;

type Stored = Omit<SearchableArticle, 'summary' | 'tags'> & { id: string };

/**
 * The published articles, searchable in memory (MiniSearch, ADR 0013): words folded by
 * `foldWord` (case, diacritics, one Lithuanian ending), every word a prefix, one typo forgiven
 * in words of five letters or more, a title hit worth more than a body hit. Both locales live in
 * one index; a locale filters.
 */
export class ArticleSearch {
  private readonly index = new MiniSearch<Stored & { summary: string; tags: string }>({
    idField: 'id',
    fields: ['title', 'summary', 'tags', 'body'],
    storeFields: ['slug', 'locale', 'kind', 'module', 'title', 'body'],
    tokenize: wordsOf,
    processTerm: (term) => foldWord(term) || null,
    searchOptions: { boost: { title: 5, tags: 2, summary: 1.5 }, prefix: true },
  });

  get size(): number {
    return this.index.documentCount;
  }

  /** Adds the article, or puts its new text in place of the old. */
  put(article: SearchableArticle): void {
    const id = `${article.locale}:${article.slug}`;
    if (this.index.has(id)) this.index.discard(id);
    this.index.add({ ...article, id, body: plainText(article.body), tags: article.tags.join(' ') });
  }

  remove(locale: string, slug: string): void {
    const id = `${locale}:${slug}`;
    if (this.index.has(id)) this.index.discard(id);
  }

  search(query: string, filters: SearchFilters): SearchHit[] {
    const words = wordsOf(query);
    if (words.length === 0) return [];
    const results = this.index.search(
      {
        combineWith: 'OR',
        queries: words.map((word) => ({
          queries: [word],
          prefix: true,
          fuzzy: word.length >= TYPO_FROM ? 1 : false,
        })),
      },
      {
        filter: (result) =>
          (!filters.locale || result.locale === filters.locale) &&
          (!filters.kind || result.kind === filters.kind) &&
          (!filters.module || result.module === filters.module),
      },
    );
    const stems = words.map(foldWord);
    return results.slice(0, filters.limit).map((result) => ({
      slug: result.slug as string,
      title: result.title as string,
      kind: result.kind as string,
      locale: result.locale as string,
      score: Math.round(result.score * 100) / 100,
      snippet: snippetOf(result.body as string, stems),
    }));
  }
}

/** Markdown as the words a reader sees: no markup, links as their text, one line. */
export function plainText(markdown: string): string {
  return markdown
    .replace(/```[\s\S]*?```/g, ' ')
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/^\s{0,3}(#{1,6}|>|[-*+]|\d+\.)\s+/gm, '')
    .replace(/[*_`~|]+/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Up to 160 characters of the body around the first word that matched (else its start). */
export function snippetOf(body: string, stems: readonly string[]): string {
  // Folding keeps one character per character of Lithuanian text, so positions carry over.
  const folded = [...body].map((c) => foldDiacritics(c).slice(0, 1) || ' ').join('');
  const at = stems
    .map((stem) => folded.search(new RegExp(`(^|[^\\p{L}\\p{N}])${escape(stem)}`, 'u')))
    .filter((i) => i >= 0)
    .sort((a, b) => a - b)[0];
  const chars = [...body];
  const start = at === undefined ? 0 : Math.max(0, at - 40);
  const text = chars
    .slice(start, start + SNIPPET)
    .join('')
    .trim();
  return `${start > 0 ? '…' : ''}${text}${start + SNIPPET < chars.length ? '…' : ''}`;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
