import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { eventually, freePort, uniqueName } from '@clientbook/testing';

const ROOT = path.resolve(__dirname, '..', '..', '..');

describe('npm start (the README quick start)', () => {
  let child: ChildProcess;
  let output = '';
  let port: number;
  let dataDir: string;

  beforeAll(async () => {
    port = await freePort();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'clientbook-start-'));
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PORT: String(port),
      CLIENTS_PORT: String(await freePort()),
      IMPORT_MATCHING_PORT: String(await freePort()),
      CRM_PORT: String(await freePort()),
      CLIENTBOOK_DB_PREFIX: uniqueName('start').replace(/-/g, '_'),
      CLIENTBOOK_DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
    };
    delete env.OPERATOR_KEY;
    // KAFKA_BROKERS and MONGODB_URI come from the test setup, so this start uses those servers.
    child = spawn(process.execPath, ['tools/start.js'], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  });

  afterAll(async () => {
    if (child.exitCode === null) {
      child.kill('SIGKILL');
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('gets GET /health to 200 with every part named and up', async () => {
    const body = await eventually(
      async () => {
        const response = await fetch(`http://127.0.0.1:${port}/health`);
        expect(response.status).toBe(200);
        return response.json();
      },
      { timeoutMs: 60_000, intervalMs: 500 },
    );
    expect(body).toEqual({
      status: 'up',
      parts: {
        gateway: 'up',
        clients: 'up',
        'import-matching': 'up',
        crm: 'up',
        'knowledge-base': 'up',
        invoices: 'up',
        mongodb: 'up',
        kafka: 'up',
      },
      checkedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
  }, 70_000);

  it('generates an operator key when OPERATOR_KEY is unset, prints it once and keeps it in the data folder', () => {
    const key = fs.readFileSync(path.join(dataDir, 'operator-key'), 'utf8').trim();
    expect(key).toMatch(/^cbo_[\w-]{43}$/);
    expect(output).toContain(key);
  });

  it('serves the OpenAPI document generated from the code', async () => {
    const response = await fetch(`http://127.0.0.1:${port}/docs/openapi.json`);
    expect(response.status).toBe(200);
    const document = (await response.json()) as { openapi: string; paths: Record<string, unknown> };
    expect(document.openapi).toMatch(/^3\./);
    // The gateway's own routes and those each service generates, in one document.
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/health',
        '/v1/tenants',
        '/v1/api-keys',
        '/v1/clients',
        '/v1/clients/{id}',
        '/v1/clients/merge',
        '/v1/merges/{mergeId}',
        '/v1/settings',
      ]),
    );
  });

  it('stops every service on SIGTERM', async () => {
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    await expect(fetch(`http://127.0.0.1:${port}/health`)).rejects.toThrow();
  }, 30_000);
});
