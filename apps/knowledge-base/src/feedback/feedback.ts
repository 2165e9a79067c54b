import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import type { Collection, Db } from 'mongodb';
import {
  atCurrentVersions,
  EventEnvelope,
  EVENTS,
  type FeedbackGiven,
  KB_FEEDBACK_AGGREGATE,
  KB_TENANT,
} from '@clientbook/contracts';
import pRetry from 'p-retry';
import {
  AFTER_CONCURRENT_WRITES,
  EventStore,
  isDuplicateKeyError,
  Projection,
  VersionConflictError,
} from '@clientbook/event-store';
import { ApiError, type Caller, MONGO_DB } from '@clientbook/platform';
import { KbError } from '../domain';
import { articleId } from '../articles/article-streams';

/** One key's vote on one article (its latest). */
type Vote = FeedbackGiven & { _id: string; articleId: string; version: number; at: string };

const voteId = (locale: string, slug: string, keyId: string) => `${articleId(locale, slug)}.${keyId}`;

/**
 * "Was this helpful?": one vote per tenant key and article, a second replacing the first. Each
 * vote is an event (its own stream per key and article, so votes never contend), kept in
 * `kb_feedback` by the vote itself and from the kb topic; the counts are asked of it when read.
 */
@Injectable()
export class Feedback implements Projection, OnApplicationBootstrap {
  readonly name = 'kb-feedback';
  readonly handles = ['FeedbackGiven'];
  private readonly votes: Collection<Vote>;

  constructor(
    @Inject(MONGO_DB) db: Db,
    private readonly store: EventStore,
  ) {
    this.votes = db.collection<Vote>('kb_feedback');
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.votes.createIndex({ articleId: 1 });
  }

  async give(
    caller: Caller,
    article: { locale: string; slug: string },
    vote: { helpful: boolean; comment?: string | null },
  ): Promise<void> {
    if (caller.actor.kind !== 'api_key')
      throw new ApiError('forbidden', 'feedback is given with a tenant’s API key');
    const keyId = caller.actor.id;
    const streamId = voteId(article.locale, article.slug, keyId);
    // The same key voting twice at once: the later vote is stored after the first.
    await pRetry(() => this.vote(caller, streamId, article, keyId, vote), {
      ...AFTER_CONCURRENT_WRITES,
      shouldRetry: ({ error }) => error instanceof VersionConflictError,
    });
  }

  private async vote(
    caller: Caller,
    streamId: string,
    article: { locale: string; slug: string },
    keyId: string,
    vote: { helpful: boolean; comment?: string | null },
  ): Promise<void> {
    const stream = await this.store.readStream(KB_TENANT, streamId);
    const data: FeedbackGiven = {
      locale: article.locale as FeedbackGiven['locale'],
      slug: article.slug,
      tenantId: caller.tenantId,
      keyId,
      helpful: vote.helpful,
      comment: vote.comment?.trim() || null,
    };
    const [stored] = await this.store.append({
      tenantId: KB_TENANT,
      aggregateType: KB_FEEDBACK_AGGREGATE,
      aggregateId: streamId,
      expectedVersion: stream.at(-1)?.aggregateVersion ?? 0,
      events: atCurrentVersions([{ type: 'FeedbackGiven', data }]),
      metadata: { actor: caller.actor, correlationId: caller.correlationId, causationId: null },
    });
    await this.record(stored);
  }

  async apply(envelope: EventEnvelope): Promise<void> {
    if (envelope.aggregateType === KB_FEEDBACK_AGGREGATE) await this.record(envelope);
  }

  /** A vote as its event says, over an older one only. */
  private async record(envelope: EventEnvelope): Promise<void> {
    const data = EVENTS.upcast(envelope).data as FeedbackGiven;
    const _id = envelope.aggregateId;
    const vote: Vote = {
      ...data,
      _id,
      articleId: articleId(data.locale, data.slug),
      version: envelope.aggregateVersion,
      at: envelope.occurredAt,
    };
    try {
      await this.votes.replaceOne({ _id, version: { $lt: vote.version } }, vote, { upsert: true });
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
  }

  /** How many said yes and no, per article id. */
  async counts(articleIds: readonly string[]): Promise<Map<string, { yes: number; no: number }>> {
    const counts = new Map(articleIds.map((id) => [id, { yes: 0, no: 0 }]));
    if (articleIds.length === 0) return counts;
    const grouped = await this.votes
      .aggregate<{ _id: { articleId: string; helpful: boolean }; n: number }>([
        { $match: { articleId: { $in: [...articleIds] } } },
        { $group: { _id: { articleId: '$articleId', helpful: '$helpful' }, n: { $sum: 1 } } },
      ])
      .toArray();
    for (const { _id, n } of grouped) {
      const count = counts.get(_id.articleId);
      if (count) count[_id.helpful ? 'yes' : 'no'] = n;
    }
    return counts;
  }

  /** The comments left on an article (every locale unless one is asked), newest first. */
  async comments(slug: string, locale?: string) {
    if (!slug) throw KbError.validation([{ field: 'slug', message: 'is required' }]);
    const ids = (locale ? [locale] : ['lt', 'en']).map((l) => articleId(l, slug));
    const votes = await this.votes
      .find({ articleId: { $in: ids } })
      .sort({ at: -1 })
      .toArray();
    return {
      items: votes
        .filter((v) => v.comment !== null)
        .map((v) => ({
          slug: v.slug,
          locale: v.locale,
          helpful: v.helpful,
          comment: v.comment,
          tenantId: v.tenantId,
          at: v.at,
        })),
    };
  }
}
