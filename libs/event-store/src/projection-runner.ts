import type { Consumer, Kafka } from 'kafkajs';
import { EventEnvelope, EventRegistry, EVENTS } from '@clientbook/contracts';
import type { RelayLogger } from './outbox-relay';

/** A read model fed by events: `apply` must be idempotent by aggregate version. */
export type Projection = Readonly<{
  name: string;
  /** Event types it reads; others are passed over. Omit to receive every event. */
  handles?: readonly string[];
  apply(event: EventEnvelope): Promise<void>;
}>;

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
    const parsed = this.registry.parse(value);
    if (!parsed.ok) {
      this.logger?.warn('passing over a message that does not parse as an event', {
        ...where,
        reason: parsed.reason,
      });
      return;
    }
    for (const projection of this.projections) {
      if (!projection.handles || projection.handles.includes(parsed.envelope.type)) {
        await projection.apply(parsed.envelope);
      }
    }
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
 * Kafka transport with the same dispatcher). kafkajs commits an offset only after the message's
 * handler resolved, so a crash redelivers instead of losing.
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
      eachMessage: ({ message, topic, partition }) =>
        this.dispatcher.dispatch(message.value, { topic, partition, offset: message.offset }),
    });
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
    this.consumer = null;
  }
}
