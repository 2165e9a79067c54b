/** Where a service finds its infrastructure and where it listens; read once from the environment. */
export type ServiceConfig = Readonly<{
  serviceName: string;
  mongodbUri: string;
  /**
   * Connections to MongoDB per service (each runs one operation at a time). Kept well below
   * FerretDB's PostgreSQL pool: when every pooled connection is taken, FerretDB 1.x can wait on
   * itself for ever (ADR 0002).
   */
  mongodbMaxPoolSize: number;
  database: string;
  kafkaBrokers: string[];
  host: string;
  port: number;
  dataDir: string;
  /** Put before every topic name; lets test runs and tenants of a shared cluster keep apart. */
  topicPrefix: string;
}>;

// The local infrastructure of `npm start` (tools/infra/infra.js).
const LOCAL_MONGODB_URI = 'mongodb://127.0.0.1:37017/';
const LOCAL_KAFKA_BROKERS = '127.0.0.1:19092';

/** A whole number from the environment within [min, max], or `fallback` when unset. */
function wholeNumber(
  env: NodeJS.ProcessEnv,
  name: string,
  fallback: number,
  [min, max]: readonly [number, number],
  what: string,
): number {
  const value = env[name];
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new Error(`${name} must be ${what}, got ${JSON.stringify(value)}`);
  return n;
}

export function readServiceConfig(
  serviceName: string,
  defaults: { port: number; portVariable: string },
  env: NodeJS.ProcessEnv = process.env,
): ServiceConfig {
  return {
    serviceName,
    mongodbUri: env.MONGODB_URI || LOCAL_MONGODB_URI,
    mongodbMaxPoolSize: wholeNumber(env, 'MONGODB_MAX_POOL_SIZE', 20, [1, Infinity], 'a whole number ≥ 1'),
    // One database per service; tests give each run a prefix of its own.
    database: `${env.CLIENTBOOK_DB_PREFIX || 'clientbook'}_${serviceName.replace(/-/g, '_')}`,
    kafkaBrokers: (env.KAFKA_BROKERS || LOCAL_KAFKA_BROKERS).split(',').map((b) => b.trim()),
    host: env.HOST || '127.0.0.1',
    port: wholeNumber(env, defaults.portVariable, defaults.port, [0, 65535], 'a port number'),
    dataDir: env.CLIENTBOOK_DATA_DIR || '.data',
    topicPrefix: env.CLIENTBOOK_TOPIC_PREFIX || '',
  };
}

/** The name of a system topic (`Topics.*`) in this deployment. */
export function topicName(config: Pick<ServiceConfig, 'topicPrefix'>, topic: string): string {
  return `${config.topicPrefix}${topic}`;
}
