import { hostname } from 'node:os';
import { loadInternalSecret } from './internal-calls';

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
  /** Signs and checks the calls between the gateway and the services (ADR 0008). */
  internalSecret: string;
  /** How clients authenticate to Kafka (SASL/SCRAM in docker-compose; none on the local broker). */
  kafkaSasl: KafkaSasl | null;
  /** Whether Kafka connections use TLS. */
  kafkaSsl: boolean;
  /**
   * This process among the service's instances (CLIENTBOOK_INSTANCE_ID, else the host name): each
   * instance follows the whole topic for its in-memory indexes, under a consumer group of its own.
   */
  instanceId: string;
}>;

export type KafkaSasl =
  | Readonly<{ mechanism: 'scram-sha-256'; username: string; password: string }>
  | Readonly<{ mechanism: 'scram-sha-512'; username: string; password: string }>;

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

/** KAFKA_SASL_USERNAME / _PASSWORD / _MECHANISM: a SCRAM login, or none when no user is set. */
function kafkaSaslOf(env: NodeJS.ProcessEnv): KafkaSasl | null {
  const username = env.KAFKA_SASL_USERNAME;
  if (!username) return null;
  const password = env.KAFKA_SASL_PASSWORD;
  if (!password) throw new Error('KAFKA_SASL_PASSWORD must be set with KAFKA_SASL_USERNAME');
  const mechanism = (env.KAFKA_SASL_MECHANISM || 'scram-sha-256').toLowerCase();
  if (mechanism === 'scram-sha-256' || mechanism === 'scram-sha-512')
    return { mechanism, username, password };
  throw new Error(
    `KAFKA_SASL_MECHANISM must be scram-sha-256 or scram-sha-512, got ${JSON.stringify(mechanism)}`,
  );
}

/** What every Kafka client of a service connects with: the brokers, and SASL and TLS when configured. */
export function kafkaConnection(config: Pick<ServiceConfig, 'kafkaBrokers' | 'kafkaSasl' | 'kafkaSsl'>): {
  brokers: string[];
  sasl?: KafkaSasl;
  ssl?: boolean;
} {
  return {
    brokers: config.kafkaBrokers,
    ...(config.kafkaSasl ? { sasl: config.kafkaSasl } : {}),
    ...(config.kafkaSsl ? { ssl: true } : {}),
  };
}

export function readServiceConfig(
  serviceName: string,
  defaults: { port: number; portVariable: string },
  env: NodeJS.ProcessEnv = process.env,
): ServiceConfig {
  const dataDir = env.CLIENTBOOK_DATA_DIR || '.data';
  return {
    serviceName,
    mongodbUri: env.MONGODB_URI || LOCAL_MONGODB_URI,
    mongodbMaxPoolSize: wholeNumber(env, 'MONGODB_MAX_POOL_SIZE', 20, [1, Infinity], 'a whole number ≥ 1'),
    // One database per service; tests give each run a prefix of its own.
    database: `${env.CLIENTBOOK_DB_PREFIX || 'clientbook'}_${serviceName.replace(/-/g, '_')}`,
    kafkaBrokers: (env.KAFKA_BROKERS || LOCAL_KAFKA_BROKERS).split(',').map((b) => b.trim()),
    host: env.HOST || '127.0.0.1',
    port: wholeNumber(env, defaults.portVariable, defaults.port, [0, 65535], 'a port number'),
    dataDir,
    topicPrefix: env.CLIENTBOOK_TOPIC_PREFIX || '',
    internalSecret: loadInternalSecret(env, dataDir),
    kafkaSasl: kafkaSaslOf(env),
    kafkaSsl: env.KAFKA_SSL === 'true',
    instanceId: (env.CLIENTBOOK_INSTANCE_ID || hostname()).replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 100),
  };
}

/**
 * The consumer group of a service instance's feed. Per instance, not per service: every instance
 * keeps in-memory indexes (search, matching) that need every event, and the read models they
 * also write are idempotent by version, so several instances writing them is harmless.
 */
export function feedGroupId(
  config: Pick<ServiceConfig, 'topicPrefix' | 'serviceName' | 'instanceId'>,
): string {
  return `${config.topicPrefix}${config.serviceName}.${config.instanceId}`;
}

/** The name of a system topic (`Topics.*`) in this deployment. */
export function topicName(config: Pick<ServiceConfig, 'topicPrefix'>, topic: string): string {
  return `${config.topicPrefix}${topic}`;
}
