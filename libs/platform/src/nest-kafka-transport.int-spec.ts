import { Controller, INestApplication, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EventPattern, MicroserviceOptions, Payload, Transport } from '@nestjs/microservices';
import { Kafka, logLevel, Partitioners, Producer } from 'kafkajs';
import type { EventEnvelope } from '@clientbook/contracts';
import { ensureTopics, EventStore, OutboxRelay, ProjectionDispatcher } from '@clientbook/event-store';
import {
  connectTestDatabase,
  eventually,
  TEST_EVENTS,
  TestDatabase,
  testInfra,
  uniqueName,
} from '@clientbook/testing';

// Proves the NestJS Kafka transport (@nestjs/microservices on kafkajs) against our broker:
// events from the outbox relay reach an @EventPattern handler in order, and a handler that
// throws gets the same message again (its offset is not committed).
describe('NestJS Kafka transport with the event store', () => {
  let database: TestDatabase;
  let app: INestApplication;
  let producer: Producer;
  let relay: OutboxRelay;
  let store: EventStore;
  const received: EventEnvelope[] = [];
  let failuresLeft = 1;

  beforeAll(async () => {
    const { kafkaBrokers } = testInfra();
    const topic = uniqueName('nest-transport');
    const kafka = new Kafka({
      clientId: 'nest-transport-test',
      brokers: kafkaBrokers,
      logLevel: logLevel.ERROR,
    });
    await ensureTopics(kafka, [topic]);

    const dispatcher = new ProjectionDispatcher(
      [
        {
          name: 'recorder',
          apply: async (event) => {
            if (event.aggregateVersion === 2 && failuresLeft > 0) {
              failuresLeft -= 1;
              throw new Error('read model unavailable');
            }
            received.push(event);
          },
        },
      ],
      undefined,
      TEST_EVENTS,
    );

    @Controller()
    class EventsController {
      @EventPattern(topic)
      async handle(@Payload() message: unknown): Promise<void> {
        await dispatcher.dispatch(message, { topic });
      }
    }

    @Module({ controllers: [EventsController] })
    class TestModule {}

    app = await NestFactory.create(TestModule, { logger: false });
    app.connectMicroservice<MicroserviceOptions>({
      transport: Transport.KAFKA,
      options: {
        client: { clientId: 'nest-transport-test', brokers: kafkaBrokers, logLevel: logLevel.NOTHING },
        consumer: { groupId: uniqueName('nest-transport'), sessionTimeout: 10_000, heartbeatInterval: 1_000 },
        subscribe: { fromBeginning: true },
        postfixId: '',
      },
    });
    await app.startAllMicroservices();
    await app.init();

    database = await connectTestDatabase('nest_transport');
    store = new EventStore(database.db);
    producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, maxInFlightRequests: 1 });
    await producer.connect();
    relay = new OutboxRelay(store, producer, { topic, pollIntervalMs: 50 });
    relay.start();
  });

  afterAll(async () => {
    await relay.stop();
    await producer.disconnect();
    await app.close();
    await database.drop();
  });

  it('delivers stored events to an @EventPattern handler in order, again after the handler failed', async () => {
    const tenantId = uniqueName('t');
    const aggregateId = uniqueName('a');
    for (let version = 0; version < 3; version += 1) {
      await store.append({
        tenantId,
        aggregateType: 'Test',
        aggregateId,
        expectedVersion: version,
        events: [{ type: 'Noted', schemaVersion: 1, data: { n: version + 1 } }],
        metadata: { actor: { kind: 'system', id: 'test' }, correlationId: 'c', causationId: null },
      });
    }
    await eventually(() => expect(received.map((e) => e.aggregateVersion)).toEqual([1, 2, 3]), {
      timeoutMs: 30_000,
    });
    expect(failuresLeft).toBe(0);
  }, 40_000);
});
