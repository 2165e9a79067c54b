import { Controller, INestApplication, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EventPattern, MicroserviceOptions, Payload } from '@nestjs/microservices';
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
import { BatchingKafkaServer, type ConsumedBatch } from './batching-kafka-server';

// Proves the NestJS Kafka transport (@nestjs/microservices on kafkajs, consuming batches) against
// our broker: events from the outbox relay reach an @EventPattern handler in order, a burst
// reaches a batching projection in slices of more than one, and a handler that throws gets the
// same messages again (their offsets are not resolved).
describe('NestJS Kafka transport with the event store', () => {
  let database: TestDatabase;
  let app: INestApplication;
  let producer: Producer;
  let relay: OutboxRelay;
  let store: EventStore;
  const received: EventEnvelope[] = [];
  let failuresLeft = 1;
  const batchSizes: number[] = [];
  let batchFailuresLeft = 1;
  let topic = '';

  beforeAll(async () => {
    const { kafkaBrokers } = testInfra();
    topic = uniqueName('nest-transport');
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
          applyBatch: async (events) => {
            if (events.some((event) => event.aggregateVersion === 2) && failuresLeft > 0) {
              failuresLeft -= 1;
              throw new Error('read model unavailable');
            }
            if (events.some((event) => event.aggregateId.startsWith('burst')) && batchFailuresLeft > 0) {
              batchFailuresLeft -= 1;
              throw new Error('read model unavailable');
            }
            batchSizes.push(events.length);
            received.push(...events);
          },
        },
      ],
      undefined,
      TEST_EVENTS,
    );

    @Controller()
    class EventsController {
      @EventPattern(topic)
      async handle(@Payload() batch: ConsumedBatch): Promise<void> {
        await dispatcher.dispatchBatch(batch.messages, { topic });
      }
    }

    @Module({ controllers: [EventsController] })
    class TestModule {}

    app = await NestFactory.create(TestModule, { logger: false });
    app.connectMicroservice<MicroserviceOptions>({
      strategy: new BatchingKafkaServer({
        client: { clientId: 'nest-transport-test', brokers: kafkaBrokers, logLevel: logLevel.NOTHING },
        consumer: { groupId: uniqueName('nest-transport'), sessionTimeout: 10_000, heartbeatInterval: 1_000 },
        subscribe: { fromBeginning: true },
        postfixId: '',
      }),
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

  it('hands a burst to a batching projection in slices, again after a slice failed, each event once', async () => {
    const tenantId = uniqueName('t');
    const aggregateId = uniqueName('burst');
    const burst = Array.from({ length: 40 }, (_, index) => ({
      eventId: `e${index}`,
      type: 'Noted',
      schemaVersion: 1,
      tenantId,
      aggregateType: 'Test',
      aggregateId,
      aggregateVersion: index + 1,
      occurredAt: new Date().toISOString(),
      actor: { kind: 'system', id: 'test' },
      correlationId: 'c',
      causationId: null,
      data: { n: index + 1 },
    }));
    // One produce request: the broker keeps it as one record batch, so one fetch returns it whole.
    await producer.send({
      topic,
      messages: burst.map((event) => ({ key: aggregateId, value: JSON.stringify(event) })),
    });
    const versions = () =>
      received.filter((e) => e.aggregateId === aggregateId).map((e) => e.aggregateVersion);
    await eventually(() => expect(versions()).toEqual(burst.map((e) => e.aggregateVersion)), {
      timeoutMs: 30_000,
    });
    expect(batchFailuresLeft).toBe(0);
    expect(Math.max(...batchSizes)).toBeGreaterThan(1);
  }, 40_000);
});
