#!/usr/bin/env node
// `npm start`: brings up the local infrastructure (unless KAFKA_BROKERS and MONGODB_URI are set),
// then every service and the gateway, and waits until GET /health answers 200. Ctrl-C stops
// the services and whatever infrastructure this run started.
'use strict';

const { spawn } = require('node:child_process');
const path = require('node:path');
const infra = require('./infra/infra.js');

const ROOT = path.resolve(__dirname, '..');
const PORT = Number(process.env.PORT || 3000);
const APPS = ['clients', 'import-matching', 'gateway'];
const HEALTH_TIMEOUT_MS = Number(process.env.CLIENTBOOK_START_TIMEOUT_MS || 180_000);

const log = (message) => process.stderr.write(`[start] ${message}\n`);
const children = new Map();
let stopping = false;
let startedInfra = [];

function startApp(name, env, restarts = []) {
  const child = spawn(process.execPath, ['-r', './tools/register.cjs', `apps/${name}/src/main.ts`], {
    cwd: ROOT,
    env,
    stdio: 'inherit',
  });
  children.set(name, child);
  child.on('exit', (code, signal) => {
    children.delete(name);
    if (stopping) return;
    const recent = [...restarts, Date.now()].filter((t) => Date.now() - t < 60_000);
    if (recent.length > 5) {
      log(`${name} keeps exiting (code ${code ?? signal}); stopping everything`);
      shutdown(1);
      return;
    }
    log(`${name} exited (code ${code ?? signal}); restarting it`);
    setTimeout(() => startApp(name, env, recent), 1000);
  });
}

async function waitForHealth() {
  const started = Date.now();
  let last = '';
  while (Date.now() - started < HEALTH_TIMEOUT_MS && !stopping) {
    try {
      const response = await fetch(`http://127.0.0.1:${PORT}/health`, { signal: AbortSignal.timeout(3000) });
      last = await response.text();
      if (response.ok) return true;
    } catch (error) {
      last = String(error.cause?.code ?? error.message);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  if (!stopping)
    log(`GET /health did not answer 200 within ${HEALTH_TIMEOUT_MS / 1000} s; last answer: ${last}`);
  return false;
}

async function shutdown(code) {
  if (stopping) return;
  stopping = true;
  log('stopping the services…');
  await Promise.all(
    [...children.values()].map(
      (child) =>
        new Promise((resolve) => {
          child.once('exit', resolve);
          child.kill('SIGTERM');
          setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
        }),
    ),
  );
  if (startedInfra.length && process.env.CLIENTBOOK_KEEP_INFRA !== '1') await infra.down(startedInfra);
  process.exit(code);
}

async function main() {
  const t0 = Date.now();
  const { kafkaBrokers, mongodbUri, started } = await infra.up();
  startedInfra = started;
  const env = {
    ...process.env,
    KAFKA_BROKERS: kafkaBrokers,
    MONGODB_URI: mongodbUri,
    KAFKAJS_NO_PARTITIONER_WARNING: '1',
  };
  for (const name of APPS) startApp(name, env);
  if (await waitForHealth()) {
    log(
      `Clientbook is up in ${((Date.now() - t0) / 1000).toFixed(1)} s: http://127.0.0.1:${PORT} (GET /health, docs at /docs). Ctrl-C stops it.`,
    );
  } else {
    await shutdown(1);
  }
}

process.on('SIGINT', () => shutdown(0));
process.on('SIGTERM', () => shutdown(0));
main().catch((error) => {
  log(error instanceof infra.InfraError ? error.message : error.stack);
  shutdown(1);
});
