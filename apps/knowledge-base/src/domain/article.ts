import type { ArticleContent, KbEvent } from '@clientbook/contracts';
import { KbError } from './kb-error';

export const ARTICLE_KINDS = ['faq', 'lesson', 'error'] as const;
export const LOCALES = ['lt', 'en'] as const;
export const MODULES = ['clients', 'crm', 'imports', 'merges', 'invoices', 'api'] as const;
export const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/**
 * An article in one locale: its working copy (what the operator edits), what is published (what
 * everyone reads), and where it came from. A change to a published article is live once it is
 * published again.
 */
export type Article = Readonly<{
  exists: boolean;
  content: ArticleContent | null;
  published: ArticleContent | null;
  /** How many times it has been published (the history's length). */
  publishedVersions: number;
  /** The repository file it was last loaded from (its hash), if any. */
  sourceHash: string | null;
  /** Changed through the API since it was last loaded from its file: the file no longer wins. */
  editedSinceSource: boolean;
}>;

export const NO_ARTICLE: Article = {
  exists: false,
  content: null,
  published: null,
  publishedVersions: 0,
  sourceHash: null,
  editedSinceSource: false,
};

export type ArticleCommand =
  | { type: 'CreateArticle'; data: { content: ArticleContent } }
  | { type: 'EditArticle'; data: { changes: Partial<ArticleContent> } }
  | { type: 'PublishArticle' }
  | { type: 'UnpublishArticle' }
  | { type: 'DeleteArticle' }
  /** The product's own help, as the repository holds it: loaded unless edited through the API since. */
  | { type: 'LoadArticle'; data: { content: ArticleContent; hash: string } };

export function evolveArticle(state: Article, event: KbEvent): Article {
  switch (event.type) {
    case 'ArticleCreated':
      return {
        ...NO_ARTICLE,
        exists: true,
        content: event.data.content,
        publishedVersions: state.publishedVersions,
        sourceHash: event.data.sourceHash,
      };
    case 'ArticleEdited':
      if (!state.content) return state;
      return {
        ...state,
        content: { ...state.content, ...event.data.changes },
        sourceHash: event.data.sourceHash ?? state.sourceHash,
        editedSinceSource: event.data.sourceHash === null,
      };
    case 'ArticlePublished':
      return { ...state, published: event.data.content, publishedVersions: event.data.publishedVersion };
    case 'ArticleUnpublished':
      return { ...state, published: null };
    case 'ArticleDeleted':
      return { ...NO_ARTICLE, publishedVersions: state.publishedVersions };
    default:
      return state;
  }
}

/** decide: a change of an article → its events, or a KbError. Pure. */
export function decideArticle(command: ArticleCommand, state: Article): KbEvent[] {
  switch (command.type) {
    case 'CreateArticle': {
      if (state.exists)
        throw new KbError('non_unique_entry', 'an article with this slug exists in this locale', [
          { field: 'slug', message: 'already used in this locale' },
        ]);
      checkContent(command.data.content);
      return [{ type: 'ArticleCreated', data: { content: command.data.content, sourceHash: null } }];
    }
    case 'EditArticle': {
      const content = existing(state);
      const changes = Object.fromEntries(
        Object.entries(command.data.changes).filter(
          ([field, value]) =>
            value !== undefined &&
            JSON.stringify(value) !== JSON.stringify(content[field as keyof ArticleContent]),
        ),
      ) as Partial<ArticleContent>;
      for (const field of ['slug', 'locale'] as const)
        if (changes[field] !== undefined)
          throw KbError.validation([{ field, message: 'an article keeps its slug and locale' }]);
      if (Object.keys(changes).length === 0) return [];
      checkContent({ ...content, ...changes });
      return [{ type: 'ArticleEdited', data: { changes, sourceHash: null } }];
    }
    case 'PublishArticle': {
      const content = existing(state);
      if (state.published && JSON.stringify(state.published) === JSON.stringify(content)) return [];
      return [{ type: 'ArticlePublished', data: { publishedVersion: state.publishedVersions + 1, content } }];
    }
    case 'UnpublishArticle':
      existing(state);
      return state.published ? [{ type: 'ArticleUnpublished', data: {} }] : [];
    case 'DeleteArticle':
      existing(state);
      return [{ type: 'ArticleDeleted', data: {} }];
    case 'LoadArticle': {
      const { content, hash } = command.data;
      checkContent(content);
      if (!state.exists)
        return [
          { type: 'ArticleCreated', data: { content, sourceHash: hash } },
          { type: 'ArticlePublished', data: { publishedVersion: state.publishedVersions + 1, content } },
        ];
      // The file is what was loaded before, or the article was edited through the API since: kept.
      if (state.sourceHash === hash || state.editedSinceSource || state.sourceHash === null) return [];
      const events: KbEvent[] = [{ type: 'ArticleEdited', data: { changes: content, sourceHash: hash } }];
      if (state.published)
        events.push({
          type: 'ArticlePublished',
          data: { publishedVersion: state.publishedVersions + 1, content },
        });
      return events;
    }
    default: {
      const unknown: never = command;
      throw new Error(`unknown command ${JSON.stringify(unknown)}`);
    }
  }
}

function existing(state: Article): ArticleContent {
  if (!state.exists || !state.content) throw new KbError('not_found', 'no such article');
  return state.content;
}

/** The rules a body's types cannot say: a lesson has steps, other kinds none. */
export function checkContent(content: ArticleContent): void {
  if (content.kind === 'lesson' && (!content.steps || content.steps.length === 0))
    throw KbError.validation([{ field: 'steps', message: 'a lesson has at least one step' }]);
  if (content.kind !== 'lesson' && content.steps && content.steps.length > 0)
    throw KbError.validation([{ field: 'steps', message: 'only a lesson has steps' }]);
}
