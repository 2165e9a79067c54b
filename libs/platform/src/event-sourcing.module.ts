import {
  DynamicModule,
  Inject,
  Injectable,
  Logger,
  Module,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import type { Producer } from 'kafkajs';
import type { Db } from 'mongodb';
import { EventStore, OutboxRelay } from '@clientbook/event-store';
import { KAFKA_PRODUCER, MONGO_DB } from './infrastructure.module';

export const OUTBOX_RELAY = Symbol('OUTBOX_RELAY');

@Injectable()
class RelayLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    private readonly store: EventStore,
    @Inject(OUTBOX_RELAY) private readonly relay: OutboxRelay,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.store.ensureIndexes();
    this.relay.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.relay.stop();
  }
}

/** The service's event store, and the relay that publishes what it stores to `topic` (its full name). */
@Module({})
export class EventSourcingModule {
  static forTopic(topic: string): DynamicModule {
    const logger = new Logger('OutboxRelay');
    return {
      module: EventSourcingModule,
      providers: [
        { provide: EventStore, inject: [MONGO_DB], useFactory: (db: Db) => new EventStore(db) },
        {
          provide: OUTBOX_RELAY,
          inject: [EventStore, KAFKA_PRODUCER],
          useFactory: (store: EventStore, producer: Producer) =>
            new OutboxRelay(store, producer, {
              topic,
              logger: {
                warn: (message, context) => logger.warn({ ...context }, message),
                error: (message, context) => logger.error({ ...context }, message),
              },
            }),
        },
        RelayLifecycle,
      ],
      exports: [EventStore, OUTBOX_RELAY],
    };
  }
}
