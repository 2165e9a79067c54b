// jest global setup of the integration project: brings up the real Kafka and the
// MongoDB-compatible server once per run, and hands their addresses to the test workers
// through the environment (workers are forked after this runs).
import { startContainers } from './containers';

type Infra = {
  up(): Promise<{ kafkaBrokers: string; mongodbUri: string; started: string[] }>;
  down(which?: string[]): Promise<void>;
};

const infra: Infra = require('../../../tools/infra/infra.js');

declare global {
  var __CLIENTBOOK_TEARDOWN__: (() => Promise<void>) | undefined;
}

export default async function globalSetup(): Promise<void> {
  if (process.env.TEST_INFRA === 'containers') {
    const containers = await startContainers();
    process.env.KAFKA_BROKERS = containers.kafkaBrokers;
    process.env.MONGODB_URI = containers.mongodbUri;
    globalThis.__CLIENTBOOK_TEARDOWN__ = containers.stop;
    return;
  }
  const { kafkaBrokers, mongodbUri, started } = await infra.up();
  process.env.KAFKA_BROKERS = kafkaBrokers;
  process.env.MONGODB_URI = mongodbUri;
  // Stop only what this run started: a developer's `npm run infra:up` stays up.
  globalThis.__CLIENTBOOK_TEARDOWN__ = started.length ? () => infra.down(started) : undefined;
}
