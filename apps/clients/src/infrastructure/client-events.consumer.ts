import { Controller, Logger, Type } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { ProjectionDispatcher } from '@clientbook/event-store';
import { ClientCardProjection } from './client-card.projection';

/**
 * A controller that feeds the clients topic, through the NestJS Kafka transport, into the
 * service's read models. Made per topic name, which depends on the deployment's prefix.
 */
export function clientEventsConsumer(topic: string): Type<unknown> {
  @Controller()
  class ClientEventsConsumer {
    private readonly dispatcher: ProjectionDispatcher;

    constructor(cards: ClientCardProjection) {
      const logger = new Logger('ClientEventsConsumer');
      this.dispatcher = new ProjectionDispatcher([cards], {
        warn: (message, context) => logger.warn({ ...context }, message),
        error: (message, context) => logger.error({ ...context }, message),
      });
    }

    @EventPattern(topic)
    async onClientEvent(@Payload() message: unknown): Promise<void> {
      await this.dispatcher.dispatch(message, { topic });
    }
  }
  return ClientEventsConsumer;
}
