import type { INestApplication } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { bootstrapService, readServiceConfig } from '@clientbook/platform';
import { eventually, freePort, uniqueName } from '@clientbook/testing';
// The end-to-end harness runs every service in this one process, so it imports their modules.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { ClientsModule } from '../../clients/src/app.module';
// eslint-disable-next-line @nx/enforce-module-boundaries
import { ImportMatchingModule } from '../../import-matching/src/app.module';
import { createGateway } from '../src/gateway';
import { readGatewayConfig } from '../src/gateway-config';

export type ApiResponse<T = any> = { status: number; body: T; headers: Headers };

/** A caller of the public API with one key. */
export class ApiCaller {
  constructor(
    readonly baseUrl: string,
    readonly key: string | null,
  ) {}

  async request<T = any>(
    method: string,
    path: string,
    options: { body?: unknown; headers?: Record<string, string>; raw?: string | Buffer } = {},
  ): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (this.key) headers.authorization = `Bearer ${this.key}`;
    let body: string | Buffer | undefined = options.raw;
    if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    }
    const response = await fetch(`${this.baseUrl}${path}`, { method, headers, body, redirect: 'manual' });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // not JSON: the text itself
    }
    return { status: response.status, body: parsed as T, headers: response.headers };
  }

  get = <T = any>(path: string, headers?: Record<string, string>) =>
    this.request<T>('GET', path, { headers });
  post = <T = any>(path: string, body?: unknown, headers?: Record<string, string>) =>
    this.request<T>('POST', path, { body, headers });
  patch = <T = any>(path: string, body?: unknown, headers?: Record<string, string>) =>
    this.request<T>('PATCH', path, { body, headers });
  delete = <T = any>(path: string, headers?: Record<string, string>) =>
    this.request<T>('DELETE', path, { headers });
}

export type Tenant = {
  tenantId: string;
  companyId: string;
  admin: ApiCaller;
  as(role: 'admin' | 'user' | 'auditor'): Promise<ApiCaller>;
};

export type System = {
  baseUrl: string;
  /** Each service's database is `<databasePrefix>_<service>`. */
  databasePrefix: string;
  /** The clients service's own address, for calls other services make to it directly. */
  clientsUrl: string;
  /** The clients service, for tests that reach inside it (fault injection, recovery). */
  clientsApp: INestApplication;
  /** The import-matching service, for tests that look at its read model. */
  importApp: INestApplication;
  operator: ApiCaller;
  anonymous: ApiCaller;
  createTenant(company?: Record<string, unknown>): Promise<Tenant>;
  close(): Promise<void>;
};

/**
 * The whole system in this process: the clients and import-matching services and the gateway,
 * on free ports, with databases and topics of their own, on the real Kafka and FerretDB.
 */
export async function startSystem(options: { rateLimitPerMinute?: number } = {}): Promise<System> {
  const prefix = uniqueName('e2e').replace(/-/g, '_');
  // Loggers read the level from the process environment.
  process.env.LOG_LEVEL = process.env.E2E_LOG_LEVEL ?? 'silent';
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CLIENTBOOK_DB_PREFIX: prefix,
    CLIENTBOOK_TOPIC_PREFIX: `${prefix}.`,
  };
  const apps: INestApplication[] = [];
  const clientsConfig = readServiceConfig(
    'clients',
    { port: await freePort(), portVariable: 'E2E_UNSET_PORT' },
    env,
  );
  const clientsApp = await bootstrapService(ClientsModule.forConfig(clientsConfig), clientsConfig, {
    kafkaConsumer: { groupId: `${prefix}-clients` },
    openApi: true,
  });
  apps.push(clientsApp);
  const importConfig = readServiceConfig(
    'import-matching',
    { port: await freePort(), portVariable: 'E2E_UNSET_PORT' },
    env,
  );
  const importApp = await bootstrapService(
    ImportMatchingModule.forConfig(importConfig, `http://127.0.0.1:${clientsConfig.port}`),
    importConfig,
    {
      kafkaConsumer: { groupId: `${prefix}-import-matching` },
      openApi: true,
    },
  );
  apps.push(importApp);

  const gatewayPort = await freePort();
  const gatewayConfig = readGatewayConfig({
    ...env,
    PORT: String(gatewayPort),
    CLIENTS_URL: `http://127.0.0.1:${clientsConfig.port}`,
    IMPORT_MATCHING_URL: `http://127.0.0.1:${importConfig.port}`,
    RATE_LIMIT_PER_MINUTE: String(options.rateLimitPerMinute ?? 100_000),
  });
  const operatorKey = `cbo_${randomBytes(16).toString('hex')}`;
  const gateway = await createGateway(gatewayConfig, operatorKey);
  await gateway.listen(gatewayPort, '127.0.0.1');
  apps.push(gateway);

  const baseUrl = `http://127.0.0.1:${gatewayPort}`;
  const operator = new ApiCaller(baseUrl, operatorKey);
  return {
    baseUrl,
    databasePrefix: prefix,
    clientsUrl: `http://127.0.0.1:${clientsConfig.port}`,
    clientsApp,
    importApp,
    operator,
    anonymous: new ApiCaller(baseUrl, null),
    async createTenant(company = { name: 'UAB Mano Įmonė', code: '304567891' }) {
      const created = await operator.post('/v1/tenants', { company });
      if (created.status !== 201) throw new Error(`tenant not created: ${JSON.stringify(created.body)}`);
      const admin = new ApiCaller(baseUrl, created.body.adminKey);
      return {
        tenantId: created.body.tenantId,
        companyId: created.body.companyId,
        admin,
        async as(role) {
          const key = await admin.post('/v1/api-keys', { role });
          return new ApiCaller(baseUrl, key.body.key);
        },
      };
    },
    async close() {
      for (const app of apps.reverse()) await app.close();
    },
  };
}

/** Posts an import (answered 202) and waits until its job has completed or failed; returns the job. */
export async function runImport(
  caller: ApiCaller,
  path: string,
  request: { raw?: string | Buffer; body?: unknown; headers?: Record<string, string> },
): Promise<any> {
  const posted = await caller.request('POST', path, request);
  if (posted.status !== 202)
    throw new Error(`import not accepted: ${posted.status} ${JSON.stringify(posted.body)}`);
  if (posted.body.status !== 'queued') throw new Error(`a new import is queued, not ${posted.body.status}`);
  return eventually(
    async () => {
      const job = await caller.get(`/v1/imports/${posted.body.importId}`);
      if (job.body.status !== 'completed' && job.body.status !== 'failed')
        throw new Error(`still ${job.body.status}`);
      return job.body;
    },
    { timeoutMs: 30_000, intervalMs: 200 },
  );
}
