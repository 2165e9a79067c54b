import type { Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import { EventEnvelope, EventRegistry, EVENTS } from '@clientbook/contracts';
import type { RelayLogger } from './outbox-relay';

/** A read model fed by events: `apply` must be idempotent by aggregate version. */
export type Projection = Readonly<{
  name: string;
  /** Event types it reads; others are passed over. Omit to receive every event. */
  handles?: readonly string[];
  apply(event: EventEnvelope): Promise<void>;
  /**
   * One partition's events in their order, applied with fewer round trips (one write per
   * document for the batch). Must leave the read model as `apply` on each in turn would; a
   * projection without it gets `apply` per event.
   */
  applyBatch?(events: readonly EventEnvelope[]): Promise<void>;
}>;

/** A message as the consumer got it: its value (parsed JSON, else as received) and offset. */
export type ConsumedMessage = Readonly<{ value: unknown; offset: string }>;

/** How many events a projection gets at once at most: a batch's memory and its write stay bounded. */
export const MAX_PROJECTION_BATCH = 500;

/**
 * Hands one Kafka message to each projection that reads its type, parsed at the edge by the
 * event schemas (and upcast to the latest version). A message that does not parse — not an
 * envelope, an unknown type, data its schema refuses — is logged and passed over, never retried
 * for ever; an error from a projection propagates, so the transport does not commit the offset
 * and delivers the message again.
 */
export class ProjectionDispatcher {
  constructor(
    private readonly projections: readonly Projection[],
    private readonly logger?: RelayLogger,
    private readonly registry: EventRegistry = EVENTS,
  ) {}

  async dispatch(
    value: unknown,
    where: { topic: string; partition?: number; offset?: string },
  ): Promise<void> {
    await this.dispatchBatch([{ value, offset: where.offset ?? '' }], where);
  }

  /**
   * Hands one partition's messages, in order, to each projection: those that batch get all the
   * events they read in one call (so a burst costs a few writes, not one per event); the others
   * get them one at a time. The projections run one after another, each over the whole batch.
   */
  async dispatchBatch(
    messages: readonly ConsumedMessage[],
    where: { topic: string; partition?: number },
  ): Promise<void> {
    const events: EventEnvelope[] = [];
    for (const message of messages) {
      const parsed = this.registry.parse(message.value);
      if (parsed.ok) events.push(parsed.envelope);
      else
        this.logger?.warn('passing over a message that does not parse as an event', {
          ...where,
          offset: message.offset,
          reason: parsed.reason,
        });
    }
    if (events.length === 0) return;
    for (const projection of this.projections) {
      const handled = projection.handles
        ? events.filter((event) => projection.handles?.includes(event.type))
        : events;
      if (handled.length === 0) continue;
      if (projection.applyBatch && handled.length > 1) await projection.applyBatch(handled);
      else for (const event of handled) await projection.apply(event);
    }
  }
}

/** A Kafka message's value as the projections take it: parsed JSON, or the text when it is not JSON. */
function messageValue(value: Buffer | null): unknown {
  if (value === null) return null;
  const text = value.toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/**
 * Consumes a fetched batch (kafkajs `eachBatch`, with `eachBatchAutoResolve: false`) a slice of
 * at most `MAX_PROJECTION_BATCH` messages at a time, in order: an offset is resolved only after
 * `consume` resolved for its slice, so a slice that throws is delivered again (kafkajs seeks back
 * to the last resolved offset). Stops between slices when the consumer stops or rebalances.
 */
export async function consumeInSlices(
  payload: Pick<EachBatchPayload, 'batch' | 'resolveOffset' | 'heartbeat' | 'isRunning' | 'isStale'>,
  consume: (messages: ConsumedMessage[], first: KafkaMessage) => Promise<void>,
): Promise<void> {
  const { batch, resolveOffset, heartbeat, isRunning, isStale } = payload;
  for (let start = 0; start < batch.messages.length; start += MAX_PROJECTION_BATCH) {
    if (!isRunning() || isStale()) return;
    const slice = batch.messages.slice(start, start + MAX_PROJECTION_BATCH);
    await consume(
      slice.map((message) => ({ value: messageValue(message.value), offset: message.offset })),
      slice[0],
    );
    resolveOffset(slice[slice.length - 1].offset);
    await heartbeat();
  }
}

export type ProjectionRunnerOptions = {
  groupId: string;
  topics: readonly string[];
  fromBeginning?: boolean;
  logger?: RelayLogger;
  /** The events it reads and how to parse them (default: every event of the system). */
  registry?: EventRegistry;
};

/**
 * Feeds projections from Kafka with a plain kafkajs consumer (the services use the NestJS
 * Kafka transport with the same dispatcher), a fetched batch at a time in slices. An offset is
 * resolved only after its slice was applied, so a crash redelivers instead of losing.
 */
export class ProjectionRunner {
  private consumer: Consumer | null = null;
  private readonly dispatcher: ProjectionDispatcher;

  constructor(
    private readonly kafka: Kafka,
    projection: Projection | readonly Projection[],
    private readonly options: ProjectionRunnerOptions,
  ) {
    this.dispatcher = new ProjectionDispatcher(
      Array.isArray(projection) ? projection : [projection],
      options.logger,
      options.registry,
    );
  }

  async start(): Promise<void> {
    const consumer = this.kafka.consumer({
      groupId: this.options.groupId,
      sessionTimeout: 10_000,
      heartbeatInterval: 1_000,
      rebalanceTimeout: 10_000,
      maxWaitTimeInMs: 100,
    });
    this.consumer = consumer;
    await consumer.connect();
    await consumer.subscribe({
      topics: [...this.options.topics],
      fromBeginning: this.options.fromBeginning ?? true,
    });
    await consumer.run({
      eachBatchAutoResolve: false,
      eachBatch: (payload) =>
        consumeInSlices(payload, (messages) =>
          this.dispatcher.dispatchBatch(messages, {
            topic: payload.batch.topic,
            partition: payload.batch.partition,
          }),
        ),
    });
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
    this.consumer = null;
  }
}
