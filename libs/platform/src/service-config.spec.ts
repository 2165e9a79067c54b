import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { kafkaConnection, readServiceConfig, serviceUrl } from './service-config';

describe('service configuration', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'clientbook-config-'));
  const read = (env: NodeJS.ProcessEnv) =>
    readServiceConfig('clients', { CLIENTBOOK_DATA_DIR: dataDir, ...env });

  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('connects to Kafka with SCRAM when a login is given, and without when none is', () => {
    const plain = read({});
    expect(kafkaConnection(plain)).toEqual({ brokers: ['127.0.0.1:19092'] });
    const scram = read({
      KAFKA_BROKERS: 'kafka:9092',
      KAFKA_SASL_USERNAME: 'clientbook',
      KAFKA_SASL_PASSWORD: 's3cret',
    });
    expect(kafkaConnection(scram)).toEqual({
      brokers: ['kafka:9092'],
      sasl: { mechanism: 'scram-sha-256', username: 'clientbook', password: 's3cret' },
    });
    expect(() => read({ KAFKA_SASL_USERNAME: 'clientbook' })).toThrow(/KAFKA_SASL_PASSWORD/);
    expect(() =>
      read({ KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: 'p', KAFKA_SASL_MECHANISM: 'plain' }),
    ).toThrow(/scram-sha-256 or scram-sha-512/);
  });

  it('signs with the given secret, refuses a short one, and else makes one the data folder keeps', () => {
    expect(read({ CLIENTBOOK_INTERNAL_SECRET: 'x'.repeat(32) }).internalSecret).toBe('x'.repeat(32));
    expect(() => read({ CLIENTBOOK_INTERNAL_SECRET: 'short' })).toThrow(/at least 32 characters/);
    const first = read({}).internalSecret;
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(read({}).internalSecret).toBe(first);
    expect(fs.statSync(path.join(dataDir, 'internal-secret')).mode & 0o077).toBe(0);
  });

  it('takes each service’s port from its own variable, and names every variable that is wrong at once', () => {
    expect(read({}).port).toBe(3101);
    expect(read({ CLIENTS_PORT: '4101', PORT: '1' }).port).toBe(4101);
    expect(read({ CLIENTS_PORT: '' }).port).toBe(3101);
    const wrong = () => read({ CLIENTS_PORT: '70000', MONGODB_MAX_POOL_SIZE: '0', KAFKA_SSL: 'yes' });
    expect(wrong).toThrow('CLIENTS_PORT must be a port number, got "70000"');
    expect(wrong).toThrow('MONGODB_MAX_POOL_SIZE must be a whole number ≥ 1, got "0"');
    expect(wrong).toThrow('KAFKA_SSL must be true or false, got "yes"');
  });

  it('finds another service by its URL variable, else by its port on this host', () => {
    expect(serviceUrl('clients', {})).toBe('http://127.0.0.1:3101');
    expect(serviceUrl('import-matching', { IMPORT_MATCHING_PORT: '4102' })).toBe('http://127.0.0.1:4102');
    expect(serviceUrl('clients', { CLIENTS_URL: 'http://clients:3101' })).toBe('http://clients:3101');
    expect(() => serviceUrl('clients', { CLIENTS_URL: 'clients:3101' })).toThrow(
      /CLIENTS_URL must be an http\(s\) URL/,
    );
  });

  it('logs at the level LOG_LEVEL names, info by default, and refuses a level pino does not have', () => {
    expect(read({ NODE_ENV: 'production' }).logLevel).toBe('info');
    expect(read({ NODE_ENV: 'test' }).logLevel).toBe('silent');
    expect(read({ LOG_LEVEL: 'debug' }).logLevel).toBe('debug');
    expect(() => read({ LOG_LEVEL: 'verbose' })).toThrow('LOG_LEVEL must be one of fatal, error, warn');
  });
});
