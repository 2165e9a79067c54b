import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { eventually, freePort } from '@clientbook/testing';

// CommonJS on purpose (npm start runs it before any TypeScript tooling).
const { Supervisor } = require('./supervisor.js') as { Supervisor: new (options: object) => SupervisorLike };

type SupervisorLike = { start(): unknown; stop(): Promise<void>; starts: number };

// A service stand-in: answers its health with its pid (or 503), and freezes on /freeze.
const SERVICE = `
const http = require('node:http');
http.createServer((request, response) => {
  if (request.url === '/freeze') {
    response.end('freezing');
    setTimeout(() => { for (;;) {} }, 10);
    return;
  }
  response.statusCode = process.env.ANSWER === '503' ? 503 : 200;
  response.end(String(process.pid));
}).listen(Number(process.env.PORT), '127.0.0.1');
`;

describe('the npm start supervisor', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clientbook-supervisor-'));
  const script = path.join(dir, 'service.js');
  fs.writeFileSync(script, SERVICE);
  const running: SupervisorLike[] = [];

  afterAll(async () => {
    await Promise.all(running.map((s) => s.stop()));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function supervise(answer: '200' | '503') {
    const port = await freePort();
    const logs: string[] = [];
    const supervisor = new Supervisor({
      name: 'stand-in',
      args: [script],
      cwd: dir,
      env: { ...process.env, PORT: String(port), ANSWER: answer },
      healthUrl: `http://127.0.0.1:${port}/health`,
      livenessTimeoutMs: 1_500,
      startGraceMs: 10_000,
      stdio: 'ignore',
      log: (message: string) => logs.push(message),
      onGiveUp: (reason: string) => logs.push(`gave up: ${reason}`),
    });
    running.push(supervisor);
    supervisor.start();
    const pid = await eventually(async () => (await fetch(`http://127.0.0.1:${port}/health`)).text());
    return { port, logs, supervisor, pid };
  }

  it('kills (SIGKILL) and restarts a service whose health stopped answering', async () => {
    const { port, logs, supervisor, pid } = await supervise('200');
    await fetch(`http://127.0.0.1:${port}/freeze`);
    const next = await eventually(
      async () => {
        const answer = await (
          await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(500) })
        ).text();
        if (answer === pid) throw new Error('still the frozen one');
        return answer;
      },
      { timeoutMs: 15_000, intervalMs: 200 },
    );
    expect(next).not.toBe(pid);
    expect(supervisor.starts).toBe(2);
    expect(logs).toContainEqual(
      expect.stringMatching(/^stand-in has not answered .* killing it \(SIGKILL\)/),
    );
    expect(logs).toContainEqual('stand-in exited (code SIGKILL); restarting it');
  }, 30_000);

  it('leaves alone a service that answers, even 503 (its Kafka or MongoDB is down: a restart would not help)', async () => {
    const { port, supervisor, pid } = await supervise('503');
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    expect(await (await fetch(`http://127.0.0.1:${port}/health`)).text()).toBe(pid);
    expect(supervisor.starts).toBe(1);
  }, 30_000);
});
