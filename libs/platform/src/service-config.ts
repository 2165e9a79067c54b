import { hostname } from 'node:os';
import { z } from 'zod';
import { loadInternalSecret } from './internal-calls';
import PORTS from './ports.json';

/** The services, where each listens by default and which variables move it. */
// The default ports live in ports.json, which `npm start` and tools/infra read too.
export const SERVICES = {
  gateway: { port: PORTS.services.gateway, portVariable: 'PORT', urlVariable: 'GATEWAY_URL' },
  clients: { port: PORTS.services.clients, portVariable: 'CLIENTS_PORT', urlVariable: 'CLIENTS_URL' },
  'import-matching': {
    port: PORTS.services['import-matching'],
    portVariable: 'IMPORT_MATCHING_PORT',
    urlVariable: 'IMPORT_MATCHING_URL',
  },
  crm: { port: PORTS.services.crm, portVariable: 'CRM_PORT', urlVariable: 'CRM_URL' },
  'knowledge-base': {
    port: PORTS.services['knowledge-base'],
    portVariable: 'KNOWLEDGE_BASE_PORT',
    urlVariable: 'KNOWLEDGE_BASE_URL',
  },
  invoices: { port: PORTS.services.invoices, portVariable: 'INVOICES_PORT', urlVariable: 'INVOICES_URL' },
} as const;
export type ServiceName = keyof typeof SERVICES;

/** Where a service finds its infrastructure and where it listens; read once from the environment. */
export type ServiceConfig = Readonly<{
  serviceName: ServiceName;
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
  /** pino's level (LOG_LEVEL; `info`, or `silent` under jest). */
  logLevel: LogLevel;
}>;

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export type KafkaSasl =
  | Readonly<{ mechanism: 'scram-sha-256'; username: string; password: string }>
  | Readonly<{ mechanism: 'scram-sha-512'; username: string; password: string }>;

// The local infrastructure of `npm start` (tools/infra/infra.js).
const LOCAL_MONGODB_URI = `mongodb://127.0.0.1:${PORTS.infrastructure.ferretdb}/`;
const LOCAL_KAFKA_BROKERS = `127.0.0.1:${PORTS.infrastructure.kafka}`;

/** A whole number from a variable, within [min, max]. */
export const wholeNumber = (min: number, max: number, what: string) =>
  z.coerce
    .number({ error: `must be ${what}` })
    .int({ error: `must be ${what}` })
    .min(min, { error: `must be ${what}` })
    .max(max, { error: `must be ${what}` });

const port = wholeNumber(0, 65_535, 'a port number');

/** The variables every service reads (besides its port), with their defaults. */
const serviceEnvironment = z
  .object({
    MONGODB_URI: z.string().default(LOCAL_MONGODB_URI),
    MONGODB_MAX_POOL_SIZE: wholeNumber(1, 10_000, 'a whole number ≥ 1').default(10),
    CLIENTBOOK_DB_PREFIX: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,40}$/, { error: 'must be letters, digits, _ or -' })
      .default('clientbook'),
    KAFKA_BROKERS: z.string().default(LOCAL_KAFKA_BROKERS),
    HOST: z.string().default('127.0.0.1'),
    CLIENTBOOK_DATA_DIR: z.string().default('.data'),
    CLIENTBOOK_TOPIC_PREFIX: z.string().default(''),
    KAFKA_SASL_USERNAME: z.string().optional(),
    KAFKA_SASL_PASSWORD: z.string().optional(),
    KAFKA_SASL_MECHANISM: z
      .string()
      .transform((value) => value.toLowerCase())
      .pipe(z.enum(['scram-sha-256', 'scram-sha-512'], { error: 'must be scram-sha-256 or scram-sha-512' }))
      .default('scram-sha-256'),
    KAFKA_SSL: z.enum(['true', 'false'], { error: 'must be true or false' }).default('false'),
    CLIENTBOOK_INSTANCE_ID: z.string().optional(),
    LOG_LEVEL: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }).optional(),
    NODE_ENV: z.string().optional(),
  })
  .refine((env) => !env.KAFKA_SASL_USERNAME || env.KAFKA_SASL_PASSWORD, {
    error: 'must be set with KAFKA_SASL_USERNAME',
    path: ['KAFKA_SASL_PASSWORD'],
  });

/**
 * The environment read by `schema`: an empty variable counts as unset, and every variable that
 * is wrong is named in one error.
 */
export function readEnvironment<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv): z.output<S> {
  const set = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  );
  const parsed = schema.safeParse(set);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const name = String(issue.path[0] ?? '');
    return `${name} ${issue.message}, got ${JSON.stringify(set[name] ?? null)}`;
  });
  throw new Error(`the environment is not usable: ${problems.join('; ')}`);
}

/** The URL another service answers at: its URL variable, else its port on this host. */
export function serviceUrl(
  name: Exclude<ServiceName, 'gateway'>,
  env: NodeJS.ProcessEnv = process.env,
): string {
  const service = SERVICES[name];
  const read = readEnvironment(
    z.object({
      [service.urlVariable]: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
      [service.portVariable]: port.default(service.port),
    }),
    env,
  ) as Record<string, string | number | undefined>;
  return (
    (read[service.urlVariable] as string | undefined) ?? `http://127.0.0.1:${read[service.portVariable]}`
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

/** A service's configuration from the environment (its port from `SERVICES`). */
export function readServiceConfig(
  serviceName: ServiceName,
  env: NodeJS.ProcessEnv = process.env,
): ServiceConfig {
  const { portVariable, port: defaultPort } = SERVICES[serviceName];
  const read = readEnvironment(
    serviceEnvironment.and(z.object({ [portVariable]: port.default(defaultPort) })),
    env,
  );
  const sasl = read.KAFKA_SASL_USERNAME
    ? {
        mechanism: read.KAFKA_SASL_MECHANISM,
        username: read.KAFKA_SASL_USERNAME,
        password: read.KAFKA_SASL_PASSWORD ?? '',
      }
    : null;
  return {
    serviceName,
    mongodbUri: read.MONGODB_URI,
    mongodbMaxPoolSize: read.MONGODB_MAX_POOL_SIZE,
    // One database per service; tests give each run a prefix of its own.
    database: `${read.CLIENTBOOK_DB_PREFIX}_${serviceName.replace(/-/g, '_')}`,
    kafkaBrokers: read.KAFKA_BROKERS.split(',').map((b) => b.trim()),
    host: read.HOST,
    port: (read as Record<string, unknown>)[portVariable] as number,
    dataDir: read.CLIENTBOOK_DATA_DIR,
    topicPrefix: read.CLIENTBOOK_TOPIC_PREFIX,
    internalSecret: loadInternalSecret(env, read.CLIENTBOOK_DATA_DIR),
    kafkaSasl: sasl,
    kafkaSsl: read.KAFKA_SSL === 'true',
    instanceId: (read.CLIENTBOOK_INSTANCE_ID ?? hostname()).replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 100),
    logLevel: read.LOG_LEVEL ?? (read.NODE_ENV === 'test' ? 'silent' : 'info'),
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
