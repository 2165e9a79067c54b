import { Controller, Logger } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { Topics } from '@clientbook/contracts';
import { ProjectionDispatcher } from '@clientbook/event-store';
import { ClientCardProjection } from './client-card.projection';

/** The clients topic through the NestJS Kafka transport, into the service's read models. */
@Controller()
export class ClientEventsConsumer {
  private readonly dispatcher: ProjectionDispatcher;

  constructor(cards: ClientCardProjection) {
    const logger = new Logger('ClientEventsConsumer');
    this.dispatcher = new ProjectionDispatcher([cards], {
      warn: (message, context) => logger.warn({ ...context }, message),
      error: (message, context) => logger.error({ ...context }, message),
    });
  }

  @EventPattern(Topics.clients)
  async onClientEvent(@Payload() message: unknown): Promise<void> {
    await this.dispatcher.dispatch(message, { topic: Topics.clients });
  }
}
