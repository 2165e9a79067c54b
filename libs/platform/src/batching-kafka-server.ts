import { KafkaContext, ServerKafka } from '@nestjs/microservices';
import type { Consumer, EachBatchPayload } from 'kafkajs';
import { isObservable, lastValueFrom } from 'rxjs';
import { type ConsumedMessage, consumeInSlices } from '@clientbook/event-store';

/** What an `@EventPattern(topic)` handler gets from this transport: a slice of one partition, in order. */
export type ConsumedBatch = Readonly<{ messages: readonly ConsumedMessage[] }>;

/**
 * The NestJS Kafka transport, consuming a fetched batch at a time (`eachBatch`) instead of a
 * message at a time: the handler of the topic's pattern gets up to `MAX_PROJECTION_BATCH`
 * messages of one partition at once, so a projection writes a burst in a few round trips. An
 * offset is resolved only after its slice's handler resolved; a handler that throws leaves the
 * slice to be delivered again (kafkajs seeks back to the last resolved offset).
 */
export class BatchingKafkaServer extends ServerKafka {
  override async bindEvents(consumer: Consumer): Promise<void> {
    const topics = [...this.messageHandlers.keys()];
    if (topics.length > 0) await consumer.subscribe({ ...(this.options.subscribe ?? {}), topics });
    await consumer.run({
      ...(this.options.run ?? {}),
      eachBatchAutoResolve: false,
      eachBatch: (payload) => this.handleBatch(payload),
    });
  }

  private async handleBatch(payload: EachBatchPayload): Promise<void> {
    const { batch, heartbeat } = payload;
    const handler = this.getHandlerByPattern(batch.topic);
    if (!handler) {
      this.logger.error(`no handler for the topic ${batch.topic}`);
      return;
    }
    await consumeInSlices(payload, async (messages, first) => {
      const context = new KafkaContext([
        first,
        batch.partition,
        batch.topic,
        this.consumer as Consumer,
        heartbeat,
        this.producer as NonNullable<typeof this.producer>,
      ]);
      const data: ConsumedBatch = { messages };
      const result: unknown = await handler(data, context);
      if (isObservable(result)) await lastValueFrom(result, { defaultValue: undefined });
    });
  }
}
