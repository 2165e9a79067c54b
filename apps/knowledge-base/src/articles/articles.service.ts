import { Injectable } from '@nestjs/common';
import pRetry from 'p-retry';
import type { ArticleContent } from '@clientbook/contracts';
import { AFTER_CONCURRENT_WRITES, VersionConflictError } from '@clientbook/event-store';
import type { Caller } from '@clientbook/platform';
import { type Article, type ArticleCommand, decideArticle, evolveArticle, KbError } from '../domain';
import { ArticlePage, ArticlePages } from './article-pages';
import { ArticleStreams, kbEventOf } from './article-streams';
import { Feedback } from '../feedback/feedback';

/** An article as the API shows it (API.md "Knowledge base"). */
export type ArticleView = ArticleContent & {
  id: string;
  status: 'draft' | 'published';
  version: number;
  updatedAt: string;
  helpful: { yes: number; no: number };
  translations: Record<string, string>;
};

export type ArticleFilters = Readonly<{ kind?: string; module?: string; locale?: string; tag?: string }>;

const metadataOf = (caller: Caller) => ({
  actor: caller.actor,
  correlationId: caller.correlationId,
  causationId: null,
});

/** Only the operator sees drafts and working copies; everyone else what is published. */
export const isOperator = (caller: Caller): boolean => caller.actor.kind === 'operator';

/** The knowledge base's articles: written by the operator (or loaded from the repository), read by anyone. */
@Injectable()
export class Articles {
  constructor(
    private readonly streams: ArticleStreams,
    private readonly pages: ArticlePages,
    private readonly feedback: Feedback,
  ) {}

  /**
   * Applies a change to an article at the version asked (412 otherwise; without one, on the
   * version it finds, again after a concurrent change); returns its page after.
   */
  async change(
    caller: Caller,
    locale: string,
    slug: string,
    command: ArticleCommand,
    ifMatch: number | null = null,
  ): Promise<ArticlePage | null> {
    return pRetry(
      async () => {
        const loaded = await this.streams.load(locale, slug);
        if (ifMatch !== null && loaded.state.exists && ifMatch !== loaded.version)
          throw new KbError(
            'version_conflict',
            `the article is at version ${loaded.version}, not ${ifMatch}`,
          );
        const events = decideArticle(command, loaded.state);
        if (events.length === 0) return this.pages.find(locale, slug);
        const stored = await this.streams.append(locale, slug, loaded.version, events, metadataOf(caller));
        const state: Article = events.reduce(evolveArticle, loaded.state);
        const last = stored[stored.length - 1];
        await this.pages.record(locale, slug, last.aggregateVersion, state, last.occurredAt);
        return this.pages.find(locale, slug);
      },
      {
        ...AFTER_CONCURRENT_WRITES,
        shouldRetry: ({ error }) => error instanceof VersionConflictError && ifMatch === null,
      },
    ).catch((error: unknown) => {
      // Two writers of one version: the one that lost is told, as with If-Match.
      if (error instanceof VersionConflictError)
        throw new KbError('version_conflict', 'the article was changed by another request; read it again');
      throw error;
    });
  }

  async create(caller: Caller, content: ArticleContent): Promise<ArticleView> {
    const page = await this.change(caller, content.locale, content.slug, {
      type: 'CreateArticle',
      data: { content },
    });
    return this.viewOf(caller, mustExist(page));
  }

  async update(
    caller: Caller,
    locale: string,
    slug: string,
    command: ArticleCommand,
    ifMatch: number | null,
  ) {
    return this.viewOf(caller, mustExist(await this.change(caller, locale, slug, command, ifMatch)));
  }

  async delete(caller: Caller, locale: string, slug: string, ifMatch: number | null): Promise<void> {
    await this.change(caller, locale, slug, { type: 'DeleteArticle' }, ifMatch);
  }

  /**
   * The article a slug names in the locale asked: its own, else its translation there (a slug of
   * the other locale); without a locale, the slug's own article (Lithuanian first).
   */
  async read(caller: Caller, slug: string, locale?: string): Promise<ArticleView> {
    const page = await this.locate(caller, slug, locale);
    if (!page) throw new KbError('not_found', 'no such article');
    return this.viewOf(caller, page);
  }

  private async locate(caller: Caller, slug: string, locale?: string): Promise<ArticlePage | null> {
    const visible = (page: ArticlePage | null) =>
      page && (page.published || isOperator(caller)) ? page : null;
    const own = await Promise.all(['lt', 'en'].map((l) => this.pages.find(l, slug)));
    const [lt, en] = own.map(visible);
    if (!locale) return lt ?? en;
    const exact = locale === 'lt' ? lt : en;
    if (exact) return exact;
    const other = lt ?? en;
    if (!other) return null;
    const [translation] = await this.pages.all({ translationKey: other.translationKey, locale });
    return visible(translation ?? null);
  }

  /** Published articles (every locale unless one is asked), by their order. */
  async list(filters: ArticleFilters): Promise<ArticleView[]> {
    const pages = (await this.pages.all()).filter(
      (page) =>
        page.published &&
        (!filters.locale || page.locale === filters.locale) &&
        (!filters.kind || page.published.kind === filters.kind) &&
        (!filters.module || page.published.module === filters.module) &&
        (!filters.tag || page.published.tags.includes(filters.tag)),
    );
    pages.sort(
      (a, b) =>
        (a.published?.order ?? 0) - (b.published?.order ?? 0) ||
        a.slug.localeCompare(b.slug) ||
        a.locale.localeCompare(b.locale),
    );
    const byKey = translationsOf(pages);
    const helpful = await this.feedback.counts(pages.map((page) => page._id));
    return pages.map((page) =>
      view(
        page,
        page.published as ArticleContent,
        byKey.get(page.translationKey) ?? {},
        helpful.get(page._id),
      ),
    );
  }

  /** Every published version of an article, oldest first. */
  async history(caller: Caller, slug: string, locale?: string) {
    const page = await this.locate(caller, slug, locale);
    if (!page) throw new KbError('not_found', 'no such article');
    const { envelopes } = await this.streams.load(page.locale, page.slug);
    return {
      items: envelopes.flatMap((envelope) => {
        const event = kbEventOf(envelope);
        return event.type === 'ArticlePublished'
          ? [
              {
                version: event.data.publishedVersion,
                publishedAt: envelope.occurredAt,
                ...event.data.content,
              },
            ]
          : [];
      }),
    };
  }

  /** An article as the caller may see it: the operator its working copy, anyone else what is published. */
  private async viewOf(caller: Caller, page: ArticlePage): Promise<ArticleView> {
    const content = isOperator(caller) ? page.content : page.published;
    if (!content) throw new KbError('not_found', 'no such article');
    const [siblings, helpful] = await Promise.all([
      this.pages.all({ translationKey: page.translationKey }),
      this.feedback.counts([page._id]),
    ]);
    const translations = translationsOf(siblings.filter((p) => p.published || isOperator(caller)));
    return view(page, content, translations.get(page.translationKey) ?? {}, helpful.get(page._id));
  }
}

function mustExist(page: ArticlePage | null): ArticlePage {
  if (!page) throw new KbError('not_found', 'no such article');
  return page;
}

/** Each translation key's articles, by locale: `{ lt: "slug", en: "slug" }`. */
function translationsOf(pages: readonly ArticlePage[]): Map<string, Record<string, string>> {
  const byKey = new Map<string, Record<string, string>>();
  for (const page of pages)
    byKey.set(page.translationKey, { ...byKey.get(page.translationKey), [page.locale]: page.slug });
  return byKey;
}

function view(
  page: ArticlePage,
  content: ArticleContent,
  translations: Record<string, string>,
  helpful = { yes: 0, no: 0 },
): ArticleView {
  return {
    id: page._id,
    ...content,
    status: page.published ? 'published' : 'draft',
    version: page.version,
    updatedAt: page.updatedAt,
    helpful,
    translations,
  };
}
