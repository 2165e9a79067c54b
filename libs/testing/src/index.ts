import { randomUUID } from 'node:crypto';
import { Db, MongoClient } from 'mongodb';

/** Addresses of the servers the global setup brought up (or the ones given by the environment). */
export function testInfra(): { kafkaBrokers: string[]; mongodbUri: string } {
  const brokers = process.env.KAFKA_BROKERS;
  const mongodbUri = process.env.MONGODB_URI;
  if (!brokers || !mongodbUri) {
    throw new Error(
      'KAFKA_BROKERS / MONGODB_URI are not set: run integration tests through jest (global setup)',
    );
  }
  return { kafkaBrokers: brokers.split(','), mongodbUri };
}

/** A name no other test (or earlier run) uses: databases, topics and consumer groups. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

export type TestDatabase = { client: MongoClient; db: Db; drop(): Promise<void> };

/** A fresh database of its own for one test file; `drop()` removes it and closes the connection. */
export async function connectTestDatabase(prefix = 'test'): Promise<TestDatabase> {
  const client = await new MongoClient(testInfra().mongodbUri).connect();
  const db = client.db(uniqueName(prefix).replace(/-/g, '_'));
  return {
    client,
    db,
    drop: async () => {
      await db.dropDatabase().catch(() => undefined);
      await client.close();
    },
  };
}

/** Polls `check` until it returns without throwing, or rethrows its last error after the timeout. */
export async function eventually<T>(
  check: () => Promise<T> | T,
  { timeoutMs = 20_000, intervalMs = 50 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }
}

/** A TCP port nothing listens on right now. */
export async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}
export * from './decider-spec';
export * from './test-events';
export * from './sample-files';
