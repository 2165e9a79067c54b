import { Controller, Logger, OnModuleInit, Type } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { EventPattern, Payload } from '@nestjs/microservices';
import { Projection, ProjectionDispatcher } from '@clientbook/event-store';

/**
 * A controller that feeds one topic, through the NestJS Kafka transport, into the given
 * projections (providers of the same module). Made per topic, whose name depends on the
 * deployment's prefix. A projection that throws leaves the message to be delivered again.
 */
export function projectionConsumer(topic: string, projections: readonly Type<Projection>[]): Type<unknown> {
  @Controller()
  class ProjectionConsumer implements OnModuleInit {
    private dispatcher: ProjectionDispatcher | null = null;

    constructor(private readonly modules: ModuleRef) {}

    onModuleInit(): void {
      const logger = new Logger(`ProjectionConsumer(${topic})`);
      this.dispatcher = new ProjectionDispatcher(
        projections.map((type) => this.modules.get(type, { strict: false })),
        {
          warn: (message, context) => logger.warn({ ...context }, message),
          error: (message, context) => logger.error({ ...context }, message),
        },
      );
    }

    @EventPattern(topic)
    async onEvent(@Payload() message: unknown): Promise<void> {
      await this.dispatcher?.dispatch(message, { topic });
    }
  }
  return ProjectionConsumer;
}
