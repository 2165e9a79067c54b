import { z } from 'zod';

/** A knowledge-base article in one locale: one stream per `locale:slug`. */
export const KB_ARTICLE_AGGREGATE = 'KbArticle';
/** One tenant key's vote on one article: one stream per `locale.slug.keyId`. */
export const KB_FEEDBACK_AGGREGATE = 'KbFeedback';
/** An image for lesson steps: one stream per media id (the SHA-256 of its bytes). */
export const KB_MEDIA_AGGREGATE = 'KbMedia';
/** The knowledge base is the same for every tenant: its streams live under this tenant id. */
export const KB_TENANT = 'kb';

const slug = z
  .string()
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/)
  .max(100);

export const LessonStepSchema = z.object({
  title: z.string().max(200),
  body: z.string().max(5_000),
  media: z.object({ mediaId: z.string().max(100), alt: z.string().max(300) }).optional(),
});

/** What an article says (API.md "Knowledge base"). */
export const ArticleContentSchema = z.object({
  slug,
  kind: z.enum(['faq', 'lesson', 'error']),
  locale: z.enum(['lt', 'en']),
  translationKey: slug,
  title: z.string().max(200),
  summary: z.string().max(500),
  body: z.string().max(50_000),
  module: z.enum(['clients', 'crm', 'imports', 'merges', 'invoices', 'api']),
  tags: z.array(z.string().max(50)).max(20),
  order: z.number().int(),
  steps: z.array(LessonStepSchema).max(30).optional(),
});

/** The `data` of each knowledge-base event, as its current schema version says. */
export const KB_EVENT_DATA = {
  /** A new article (a draft), by the operator (`sourceHash` null) or loaded from the repository. */
  ArticleCreated: z.object({ content: ArticleContentSchema, sourceHash: z.string().nullable() }),
  /** The working copy changed: only what changed; `sourceHash` when the repository's file changed it. */
  ArticleEdited: z.object({ changes: ArticleContentSchema.partial(), sourceHash: z.string().nullable() }),
  /** The working copy is what everyone reads now: the n-th published version. */
  ArticlePublished: z.object({
    publishedVersion: z.number().int().positive(),
    content: ArticleContentSchema,
  }),
  ArticleUnpublished: z.object({}),
  ArticleDeleted: z.object({}),
} as const;

/** A vote on whether an article helped (a key's second vote replaces its first). */
export const KB_FEEDBACK_EVENT_DATA = {
  FeedbackGiven: z.object({
    locale: z.enum(['lt', 'en']),
    slug,
    tenantId: z.string(),
    keyId: z.string(),
    helpful: z.boolean(),
    comment: z.string().max(2_000).nullable(),
  }),
} as const;

/** An image stored for lesson steps (its bytes are in GridFS under its id). */
export const KB_MEDIA_EVENT_DATA = {
  MediaUploaded: z.object({
    mediaId: z.string().regex(/^[0-9a-f]{64}$/),
    type: z.enum(['image/png', 'image/jpeg', 'image/webp']),
    bytes: z.number().int().positive(),
  }),
} as const;

export type FeedbackGiven = z.output<(typeof KB_FEEDBACK_EVENT_DATA)['FeedbackGiven']>;

export type KbEventType = keyof typeof KB_EVENT_DATA;
export type KbEvent = {
  [K in KbEventType]: Readonly<{ type: K; data: z.output<(typeof KB_EVENT_DATA)[K]> }>;
}[KbEventType];
export type ArticleContent = z.output<typeof ArticleContentSchema>;
export type LessonStep = z.output<typeof LessonStepSchema>;
