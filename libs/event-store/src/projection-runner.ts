import type { Consumer, Kafka } from 'kafkajs';
import { EventEnvelope, parseEnvelope } from '@clientbook/contracts';
import type { RelayLogger } from './outbox-relay';

/** A read model fed by events: `apply` must be idempotent by aggregate version. */
export type Projection = Readonly<{
  name: string;
  /** Event types it reads; others are passed over. Omit to receive every event. */
  handles?: readonly string[];
  apply(event: EventEnvelope): Promise<void>;
}>;

export type ProjectionRunnerOptions = {
  groupId: string;
  topics: readonly string[];
  fromBeginning?: boolean;
  logger?: RelayLogger;
};

/**
 * Feeds a projection from Kafka. The offset of a message is committed only after `apply`
 * resolved (kafkajs commits resolved offsets), so a crash redelivers instead of losing; a
 * message that is not an event envelope is logged and passed over, never retried forever.
 */
export class ProjectionRunner {
  private consumer: Consumer | null = null;
  private readonly handles: ReadonlySet<string> | null;

  constructor(
    private readonly kafka: Kafka,
    private readonly projection: Projection,
    private readonly options: ProjectionRunnerOptions,
  ) {
    this.handles = projection.handles ? new Set(projection.handles) : null;
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
      eachMessage: async ({ message, topic, partition }) => {
        const parsed = parseEnvelope(message.value);
        if (!parsed.ok) {
          this.options.logger?.warn('passing over a message that is not an event', {
            topic,
            partition,
            offset: message.offset,
            reason: parsed.reason,
          });
          return;
        }
        if (this.handles && !this.handles.has(parsed.envelope.type)) return;
        await this.projection.apply(parsed.envelope);
      },
    });
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
    this.consumer = null;
  }
}
