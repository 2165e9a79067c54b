import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { eventually, freePort, uniqueName } from '@clientbook/testing';
import { ApiCaller } from '../system';

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');
// CommonJS (npm start's supervisor): a service killed is started again, as `npm start` does it.
const { Supervisor } = require('../../../../tools/supervisor.js') as {
  Supervisor: new (options: object) => {
    start(): unknown;
    stop(): Promise<void>;
    child: { pid?: number } | null;
    starts: number;
  };
};

export type ServiceName = 'clients' | 'import-matching' | 'crm' | 'knowledge-base' | 'invoices' | 'gateway';

const portFree = (port: number) =>
  new Promise<boolean>((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });

/** Two free ports in a row (Kafka's listener and its controller's). */
async function freePortPair(): Promise<number> {
  for (;;) {
    const port = 30_000 + Math.floor(Math.random() * 20_000);
    if ((await portFree(port)) && (await portFree(port + 1))) return port;
  }
}

/**
 * The whole system as separate processes on infrastructure of its own (its own Kafka, PostgreSQL
 * and FerretDB, so killing them touches no other test), each service supervised as `npm start`
 * does it. Only processes this harness started are ever killed.
 */
export class FaultSystem {
  readonly dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'clientbook-faults-'));
  private infraEnv: NodeJS.ProcessEnv = {};
  private readonly supervisors = new Map<ServiceName, InstanceType<typeof Supervisor>>();
  readonly ports = { gateway: 0, clients: 0, 'import-matching': 0, crm: 0, 'knowledge-base': 0, invoices: 0 };
  baseUrl = '';
  operator!: ApiCaller;
  /** No key: the public help centre's reader. */
  anonymous!: ApiCaller;
  readonly log: string[] = [];

  async start(): Promise<void> {
    // PostgreSQL runs as its own user (as root): it must be able to reach its folder in here.
    fs.chmodSync(this.dataDir, 0o755);
    const kafkaPort = await freePortPair();
    this.infraEnv = {
      ...process.env,
      CLIENTBOOK_DATA_DIR: this.dataDir,
      // The jars and the FerretDB binary the test run's own infrastructure already has.
      CLIENTBOOK_TOOLS_DIR: path.join(ROOT, '.data'),
      CLIENTBOOK_KAFKA_PORT: String(kafkaPort),
      CLIENTBOOK_FERRETDB_PORT: String(await freePort()),
      CLIENTBOOK_POSTGRES_PORT: String(await freePort()),
      KAFKA_BROKERS: '',
      MONGODB_URI: '',
    };
    this.infra('up');
    for (const name of [
      'clients',
      'import-matching',
      'crm',
      'knowledge-base',
      'invoices',
      'gateway',
    ] as const)
      this.ports[name] = await freePort();
    const prefix = uniqueName('faults').replace(/-/g, '_');
    const operatorKey = `cbo_${randomBytes(16).toString('hex')}`;
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      KAFKA_BROKERS: `127.0.0.1:${kafkaPort}`,
      MONGODB_URI: `mongodb://127.0.0.1:${this.infraEnv.CLIENTBOOK_FERRETDB_PORT}/`,
      CLIENTBOOK_DB_PREFIX: prefix,
      CLIENTBOOK_TOPIC_PREFIX: `${prefix}.`,
      CLIENTBOOK_INTERNAL_SECRET: randomBytes(32).toString('base64url'),
      CLIENTBOOK_DATA_DIR: this.dataDir,
      OPERATOR_KEY: operatorKey,
      PORT: String(this.ports.gateway),
      CLIENTS_PORT: String(this.ports.clients),
      IMPORT_MATCHING_PORT: String(this.ports['import-matching']),
      CRM_PORT: String(this.ports.crm),
      KNOWLEDGE_BASE_PORT: String(this.ports['knowledge-base']),
      INVOICES_PORT: String(this.ports.invoices),
      RATE_LIMIT_PER_MINUTE: '10000000',
      LOG_LEVEL: 'warn',
      KAFKAJS_NO_PARTITIONER_WARNING: '1',
    };
    for (const name of [
      'clients',
      'import-matching',
      'crm',
      'knowledge-base',
      'invoices',
      'gateway',
    ] as const) {
      const health =
        name === 'gateway'
          ? `http://127.0.0.1:${this.ports.gateway}/health`
          : `http://127.0.0.1:${this.ports[name]}/internal/health`;
      const supervisor = new Supervisor({
        name,
        args: ['-r', './tools/register.cjs', `apps/${name}/src/main.ts`],
        cwd: ROOT,
        env,
        healthUrl: health,
        livenessTimeoutMs: 30_000,
        startGraceMs: 120_000,
        // Each service's output, for when a scenario fails.
        stdio: [
          'ignore',
          fs.openSync(path.join(this.dataDir, `${name}.log`), 'a'),
          fs.openSync(path.join(this.dataDir, `${name}.err`), 'a'),
        ],
        log: (message: string) => this.log.push(`${new Date().toISOString()} ${message}`),
        onGiveUp: (reason: string) => this.log.push(`gave up: ${reason}`),
      });
      this.supervisors.set(name, supervisor);
      supervisor.start();
    }
    this.baseUrl = `http://127.0.0.1:${this.ports.gateway}`;
    this.operator = new ApiCaller(this.baseUrl, operatorKey);
    this.anonymous = new ApiCaller(this.baseUrl, null);
    await this.healthy(120_000);
  }

  private infra(command: 'up' | 'down'): void {
    const run = spawnSync(process.execPath, ['tools/infra/infra.js', command], {
      cwd: ROOT,
      env: this.infraEnv,
      encoding: 'utf8',
    });
    if (run.status !== 0) throw new Error(`infra ${command} failed:\n${run.stderr}`);
  }

  /** Waits until GET /health answers 200 (every part up). */
  async healthy(timeoutMs = 60_000): Promise<number> {
    const started = Date.now();
    await eventually(
      async () => {
        const response = await fetch(`${this.baseUrl}/health`, { signal: AbortSignal.timeout(2_000) });
        if (response.status !== 200) throw new Error(`health ${response.status}`);
      },
      { timeoutMs, intervalMs: 250 },
    );
    return Date.now() - started;
  }

  /** SIGKILL to a service's process: no shutdown hook runs. Its supervisor starts it again. */
  killService(name: ServiceName): void {
    const pid = this.supervisors.get(name)?.child?.pid;
    if (!pid) throw new Error(`${name} is not running`);
    process.kill(pid, 'SIGKILL');
  }

  /** SIGKILL to the Kafka broker (its whole process group). */
  killKafka(): void {
    const pid = Number(fs.readFileSync(path.join(this.dataDir, 'kafka', 'kafka.pid'), 'utf8'));
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      process.kill(pid, 'SIGKILL');
    }
    fs.rmSync(path.join(this.dataDir, 'kafka', 'kafka.pid'), { force: true });
  }

  /** Starts whatever part of the infrastructure is not running (after a kill or a stop). */
  restartInfrastructure(): void {
    this.infra('up');
  }

  /** PostgreSQL (FerretDB's store) shut down at once, as a crash would (`pg_ctl stop -m immediate`). */
  stopPostgres(): void {
    const dataDir = path.join(this.dataDir, 'postgres', 'data');
    const bin = fs
      .readdirSync('/usr/lib/postgresql')
      .map((v) => path.join('/usr/lib/postgresql', v, 'bin', 'pg_ctl'))
      .find((p) => fs.existsSync(p));
    if (!bin) throw new Error('pg_ctl not found');
    const args = ['stop', '-m', 'immediate', '-D', dataDir];
    const run =
      process.getuid?.() === 0
        ? spawnSync('runuser', ['-u', 'postgres', '--', bin, ...args], { encoding: 'utf8' })
        : spawnSync(bin, args, { encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`pg_ctl stop failed: ${run.stderr}`);
  }

  restarts(name: ServiceName): number {
    return (this.supervisors.get(name)?.starts ?? 1) - 1;
  }

  async stop(): Promise<void> {
    await Promise.all([...this.supervisors.values()].map((s) => s.stop()));
    try {
      this.infra('down');
    } finally {
      // The services' output is kept beside the test results; the rest goes.
      const logs = path.resolve(ROOT, '.data', 'fault-logs');
      fs.mkdirSync(logs, { recursive: true });
      for (const file of fs.readdirSync(this.dataDir).filter((f) => /\.(log|err)$/.test(f)))
        fs.copyFileSync(path.join(this.dataDir, file), path.join(logs, file));
      fs.rmSync(this.dataDir, { recursive: true, force: true });
    }
  }
}
