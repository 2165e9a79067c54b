import { Controller, Logger, OnModuleInit, Type } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { Ctx, EventPattern, KafkaContext, Payload } from '@nestjs/microservices';
import pRetry from 'p-retry';
import { Projection, ProjectionDispatcher, WHILE_STORE_IS_AWAY } from '@clientbook/event-store';
import type { ConsumedBatch } from './batching-kafka-server';
import { isStoreUnavailable } from './problem-details.filter';

/**
 * A controller that feeds one topic, through the NestJS Kafka transport (a slice of one
 * partition at a time: `BatchingKafkaServer`), into the given projections (providers of the
 * same module). Made per topic, whose name depends on the
 * deployment's prefix. While the database does not answer, the slice is applied again after
 * a growing pause, the partition held and the consumer heartbeating, for a minute at most; any
 * other error from a projection (and a database away longer) leaves the message to be delivered
 * again.
 */
export function projectionConsumer(topic: string, projections: readonly Type<Projection>[]): Type<unknown> {
  @Controller()
  class ProjectionConsumer implements OnModuleInit {
    private dispatcher: ProjectionDispatcher | null = null;
    private readonly logger = new Logger(`ProjectionConsumer(${topic})`);

    constructor(private readonly modules: ModuleRef) {}

    onModuleInit(): void {
      this.dispatcher = new ProjectionDispatcher(
        projections.map((type) => this.modules.get(type, { strict: false })),
        {
          warn: (message, context) => this.logger.warn({ ...context }, message),
          error: (message, context) => this.logger.error({ ...context }, message),
        },
      );
    }

    @EventPattern(topic)
    async onEvents(@Payload() batch: ConsumedBatch, @Ctx() context: KafkaContext): Promise<void> {
      const dispatcher = this.dispatcher;
      if (!dispatcher) return;
      const where = { topic, partition: context.getPartition(), offset: context.getMessage().offset };
      await pRetry(() => dispatcher.dispatchBatch(batch.messages, where), {
        ...WHILE_STORE_IS_AWAY,
        shouldRetry: ({ error }) => isStoreUnavailable(error),
        onFailedAttempt: async ({ error, attemptNumber }) => {
          if (!isStoreUnavailable(error)) return;
          if (attemptNumber === 1)
            this.logger.warn(
              { ...where, error: String(error) },
              'the database does not answer; applying these events again once it does',
            );
          await context.getHeartbeat()();
        },
      });
    }
  }
  return ProjectionConsumer;
}
