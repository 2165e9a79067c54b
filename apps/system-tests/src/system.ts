import type { INestApplication } from '@nestjs/common';
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { bootstrapService, feedGroupId, readServiceConfig } from '@clientbook/platform';
import { eventually, freePort, uniqueName } from '@clientbook/testing';
// The end-to-end harness runs every service in this one process, so it imports their modules.
import { ClientsModule } from '@clientbook/clients-app';
import { CrmModule } from '@clientbook/crm-app';
import { KnowledgeBaseModule } from '@clientbook/knowledge-base-app';
import { InvoicesModule } from '@clientbook/invoices-app';
import { ImportMatchingModule } from '@clientbook/import-matching-app';
import { createGateway, readGatewayConfig } from '@clientbook/gateway-app';

const ROOT = path.resolve(__dirname, '..', '..', '..');

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

  /** A GET whose answer is kept as bytes (a PDF, an image). */
  async bytes(path: string): Promise<{ status: number; body: Buffer; headers: Headers }> {
    const headers: Record<string, string> = this.key ? { authorization: `Bearer ${this.key}` } : {};
    const response = await fetch(`${this.baseUrl}${path}`, { headers, redirect: 'manual' });
    return {
      status: response.status,
      body: Buffer.from(await response.arrayBuffer()),
      headers: response.headers,
    };
  }

  get = <T = any>(path: string, headers?: Record<string, string>) =>
    this.request<T>('GET', path, { headers });
  post = <T = any>(path: string, body?: unknown, headers?: Record<string, string>) =>
    this.request<T>('POST', path, { body, headers });
  put = <T = any>(path: string, body?: unknown, headers?: Record<string, string>) =>
    this.request<T>('PUT', path, { body, headers });
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
  /** import-matching's own address. */
  importUrl: string;
  /** The secret internal calls are signed with, for tests that call a service directly. */
  internalSecret: string;
  /** The clients service, for tests that reach inside it (fault injection, recovery). */
  clientsApp: INestApplication;
  /** The CRM service, for tests that deliver its events again. */
  crmApp: INestApplication;
  /** The knowledge-base service, for tests that reach inside it. */
  kbApp: INestApplication;
  invoicesApp: INestApplication;
  /** The import-matching service, for tests that look at its read model (in-process mode only). */
  importApp: INestApplication;
  /** import-matching as a process of its own (child-process mode only): to kill and start again. */
  importProcess: ServiceProcess | null;
  operator: ApiCaller;
  anonymous: ApiCaller;
  createTenant(company?: Record<string, unknown>): Promise<Tenant>;
  /** Stops import-matching (for tests of a service that does not answer). */
  stopImportMatching(): Promise<void>;
  close(): Promise<void>;
};

/**
 * The whole system in this process: the clients, import-matching and CRM services and the gateway,
 * on free ports, with databases and topics of their own, on the real Kafka and FerretDB.
 */
export async function startSystem(
  options: {
    rateLimitPerMinute?: number;
    tenantRateLimitPerMinute?: number;
    authFailuresPerMinute?: number;
    trustProxy?: string;
    /** Run import-matching in a process of its own, as `npm start` does, so a test can kill it. */
    importMatching?: 'in-process' | 'child-process';
    /** The help the knowledge base loads at start (default: the repository's `content/kb`). */
    kbContentDir?: string;
  } = {},
): Promise<System> {
  const prefix = uniqueName('e2e').replace(/-/g, '_');
  const internalSecret = randomBytes(32).toString('base64url');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CLIENTBOOK_DB_PREFIX: prefix,
    CLIENTBOOK_TOPIC_PREFIX: `${prefix}.`,
    CLIENTBOOK_INTERNAL_SECRET: internalSecret,
    LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? 'silent',
  };
  const apps: INestApplication[] = [];
  const clientsConfig = readServiceConfig('clients', { ...env, CLIENTS_PORT: String(await freePort()) });
  const clientsApp = await bootstrapService(ClientsModule.forConfig(clientsConfig), clientsConfig, {
    kafkaConsumer: { groupId: feedGroupId(clientsConfig) },
    openApi: true,
  });
  apps.push(clientsApp);
  const importConfig = readServiceConfig('import-matching', {
    ...env,
    IMPORT_MATCHING_PORT: String(await freePort()),
  });
  let importApp: INestApplication | null = null;
  let importProcess: ServiceProcess | null = null;
  if (options.importMatching === 'child-process') {
    importProcess = new ServiceProcess('apps/import-matching/src/main.ts', importConfig.port, {
      ...env,
      IMPORT_MATCHING_PORT: String(importConfig.port),
      CLIENTS_URL: `http://127.0.0.1:${clientsConfig.port}`,
      LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? 'warn',
    });
    await importProcess.start().catch(async (error: unknown) => {
      for (const app of apps) await app.close();
      throw error;
    });
  } else {
    importApp = await bootstrapService(
      ImportMatchingModule.forConfig(importConfig, `http://127.0.0.1:${clientsConfig.port}`),
      importConfig,
      {
        kafkaConsumer: { groupId: feedGroupId(importConfig) },
        openApi: true,
      },
    );
    apps.push(importApp);
  }

  const crmConfig = readServiceConfig('crm', { ...env, CRM_PORT: String(await freePort()) });
  const crmApp = await bootstrapService(
    CrmModule.forConfig(crmConfig, `http://127.0.0.1:${clientsConfig.port}`),
    crmConfig,
    { kafkaConsumer: { groupId: feedGroupId(crmConfig) }, openApi: true },
  );
  apps.push(crmApp);

  const kbConfig = readServiceConfig('knowledge-base', {
    ...env,
    KNOWLEDGE_BASE_PORT: String(await freePort()),
  });
  const kbApp = await bootstrapService(
    KnowledgeBaseModule.forConfig(
      kbConfig,
      options.kbContentDir ?? path.resolve(__dirname, '..', '..', '..', 'content', 'kb'),
    ),
    kbConfig,
    { kafkaConsumer: { groupId: feedGroupId(kbConfig) }, openApi: true },
  );
  apps.push(kbApp);

  const invoicesConfig = readServiceConfig('invoices', { ...env, INVOICES_PORT: String(await freePort()) });
  const invoicesApp = await bootstrapService(
    InvoicesModule.forConfig(invoicesConfig, `http://127.0.0.1:${clientsConfig.port}`),
    invoicesConfig,
    { kafkaConsumer: { groupId: feedGroupId(invoicesConfig) }, openApi: true },
  );
  apps.push(invoicesApp);

  const gatewayPort = await freePort();
  const gatewayConfig = readGatewayConfig({
    ...env,
    PORT: String(gatewayPort),
    CLIENTS_URL: `http://127.0.0.1:${clientsConfig.port}`,
    IMPORT_MATCHING_URL: `http://127.0.0.1:${importConfig.port}`,
    CRM_URL: `http://127.0.0.1:${crmConfig.port}`,
    KNOWLEDGE_BASE_URL: `http://127.0.0.1:${kbConfig.port}`,
    INVOICES_URL: `http://127.0.0.1:${invoicesConfig.port}`,
    RATE_LIMIT_PER_MINUTE: String(options.rateLimitPerMinute ?? 100_000),
    RATE_LIMIT_PER_TENANT_PER_MINUTE: String(options.tenantRateLimitPerMinute ?? 1_000_000),
    AUTH_FAILURES_PER_MINUTE: String(options.authFailuresPerMinute ?? 1_000),
    ...(options.trustProxy ? { TRUST_PROXY: options.trustProxy } : {}),
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
    importUrl: `http://127.0.0.1:${importConfig.port}`,
    internalSecret,
    clientsApp,
    crmApp,
    kbApp,
    invoicesApp,
    get importApp(): INestApplication {
      if (!importApp) throw new Error('import-matching runs as a child process in this system');
      return importApp;
    },
    importProcess,
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
    async stopImportMatching() {
      await importProcess?.stop();
      if (importApp && apps.includes(importApp)) {
        apps.splice(apps.indexOf(importApp), 1);
        await importApp.close();
      }
    },
    async close() {
      await importProcess?.stop();
      for (const app of apps.reverse()) await app.close();
    },
  };
}

/** A service run as `npm start` runs it: its own Node process, from the TypeScript sources. */
export class ServiceProcess {
  private child: ChildProcess | null = null;
  private output = '';

  constructor(
    private readonly main: string,
    readonly port: number,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  /** Starts the process and waits until its health answers 200; kills it if that never comes. */
  async start(): Promise<void> {
    const child = spawn(process.execPath, ['-r', './tools/register.cjs', this.main], {
      cwd: ROOT,
      env: this.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    child.stdout?.on(
      'data',
      (chunk: Buffer) => (this.output = (this.output + chunk.toString()).slice(-20_000)),
    );
    child.stderr?.on(
      'data',
      (chunk: Buffer) => (this.output = (this.output + chunk.toString()).slice(-20_000)),
    );
    await eventually(
      async () => {
        if (child.exitCode !== null || child.signalCode !== null)
          throw new Error(`${this.main} exited with ${child.exitCode}:\n${this.output}`);
        const response = await fetch(`http://127.0.0.1:${this.port}/internal/health`);
        if (response.status !== 200) throw new Error(`health ${response.status}`);
      },
      { timeoutMs: 60_000 },
    ).catch(async (error: unknown) => {
      await this.kill();
      throw error;
    });
  }

  /** Kills the process at once (SIGKILL: no shutdown hook runs) and waits until it is gone. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  /** Stops the process gracefully (SIGTERM), killing it if it takes longer than 10 s. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
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
