import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';

// docker-compose.yml cannot run on the machines without Docker; this keeps it correct there.
const ROOT = path.resolve(__dirname, '..');

type Service = {
  image?: string;
  build?: { context: string; dockerfile: string; args?: Record<string, string> };
  environment?: Record<string, string | number>;
  depends_on?: Record<string, { condition: string }>;
  ports?: string[];
  healthcheck?: { test: string[] };
  command?: string[];
};

describe('docker-compose.yml', () => {
  const compose = parse(fs.readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
    services: Record<string, Service>;
  };
  const apps = fs
    .readdirSync(path.join(ROOT, 'apps'))
    .filter((name) => fs.existsSync(path.join(ROOT, 'apps', name, 'src', 'main.ts')));

  it('runs Kafka and a MongoDB replica set, both with health checks', () => {
    expect(compose.services.kafka.image).toMatch(/^apache\/kafka:3\.9\./);
    expect(compose.services.mongodb.image).toMatch(/^mongo:/);
    expect(compose.services.kafka.healthcheck?.test.join(' ')).toContain('kafka-broker-api-versions');
    expect(compose.services.mongodb.healthcheck?.test.join(' ')).toContain('rs.initiate');
  });

  it('asks for a login everywhere: Kafka SASL/SCRAM, MongoDB users, signed internal calls', () => {
    const kafka = compose.services.kafka.environment ?? {};
    expect(kafka.KAFKA_LISTENER_SECURITY_PROTOCOL_MAP).toBe('CONTROLLER:PLAINTEXT,INTERNAL:SASL_PLAINTEXT');
    expect(kafka.KAFKA_SASL_ENABLED_MECHANISMS).toBe('SCRAM-SHA-256');
    expect(kafka.KAFKA_CONTROLLER_QUORUM_VOTERS).toBe('1@localhost:9093');
    expect(kafka.KAFKA_LOG_DIRS).toBe('/var/lib/kafka/data');
    expect(compose.services.kafka.command?.join(' ')).toContain('--add-scram');
    expect(compose.services.kafka.healthcheck?.test.join(' ')).toContain('--command-config');
    expect(compose.services.mongodb.environment).toMatchObject({
      MONGO_INITDB_ROOT_PASSWORD: expect.stringContaining('MONGO_ROOT_PASSWORD:?'),
    });
    // Secrets come from the environment and are required: no default password anywhere.
    const raw = fs.readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8');
    for (const secret of [
      'KAFKA_PASSWORD',
      'KAFKA_BROKER_PASSWORD',
      'MONGO_ROOT_PASSWORD',
      'CLIENTBOOK_INTERNAL_SECRET',
    ])
      expect(raw).not.toMatch(new RegExp(`\\$\\{${secret}:-`));
  });

  it.each(apps)('builds and runs the %s app from the one Dockerfile, wired to Kafka and MongoDB', (app) => {
    const service = compose.services[app];
    expect(service).toBeDefined();
    expect(service.build).toEqual({ context: '.', dockerfile: 'Dockerfile', args: { APP: app } });
    expect(service.environment).toMatchObject({
      KAFKA_BROKERS: 'kafka:9092',
      KAFKA_SASL_USERNAME: expect.any(String),
      KAFKA_SASL_PASSWORD: '${KAFKA_PASSWORD:?set KAFKA_PASSWORD}',
      MONGODB_URI: expect.stringMatching(
        /^mongodb:\/\/\$\{[^}]+\}:\$\{[^}]+\}@mongodb:27017\/\?replicaSet=rs0&authSource=admin$/,
      ),
      CLIENTBOOK_INTERNAL_SECRET: expect.stringMatching(/^\$\{CLIENTBOOK_INTERNAL_SECRET:\?/),
    });
    expect(service.depends_on).toMatchObject({
      kafka: { condition: 'service_healthy' },
      mongodb: { condition: 'service_healthy' },
    });
    // Liveness as `npm start` supervises it: the health answers at all.
    expect(service.healthcheck?.test).toEqual([
      'CMD',
      'node',
      'tools/liveness.cjs',
      expect.stringMatching(/health$/),
    ]);
  });

  it('publishes only the gateway, which finds every service by name', () => {
    const published = Object.entries(compose.services).filter(([, s]) => s.ports?.length);
    expect(published.map(([name]) => name)).toEqual(['gateway']);
    expect(compose.services.gateway.environment).toMatchObject({
      CLIENTS_URL: 'http://clients:3101',
      IMPORT_MATCHING_URL: 'http://import-matching:3102',
      CRM_URL: 'http://crm:3103',
      KNOWLEDGE_BASE_URL: 'http://knowledge-base:3104',
      INVOICES_URL: 'http://invoices:3105',
    });
  });

  it('has a Dockerfile that copies what the services need and runs the chosen APP', () => {
    const dockerfile = fs.readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
    for (const copied of [
      'package-lock.json',
      'tools/register.cjs',
      'tools/liveness.cjs',
      'libs',
      'apps',
      'content',
    ])
      expect(dockerfile).toContain(copied);
    expect(dockerfile).toMatch(/FROM node:20/);
    expect(dockerfile).toContain('apps/${APP}/src/main.ts');
  });
});
