#!/usr/bin/env node
// `npm start`: brings up the local infrastructure (unless KAFKA_BROKERS and MONGODB_URI are set),
// then every service and the gateway, and waits until GET /health answers 200. Ctrl-C stops
// the services and whatever infrastructure this run started.
'use strict';

const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const infra = require('./infra/infra.js');
const { Supervisor } = require('./supervisor.js');

const ROOT = path.resolve(__dirname, '..');
// The default ports, shared with the services' own configuration.
const { services: PORTS } = require('../libs/platform/src/ports.json');
const PORT = Number(process.env.PORT || PORTS.gateway);
const HEALTH_TIMEOUT_MS = Number(process.env.CLIENTBOOK_START_TIMEOUT_MS || 180_000);
// A service whose health has not answered for this long is killed and started again.
const LIVENESS_TIMEOUT_MS = Number(process.env.CLIENTBOOK_LIVENESS_TIMEOUT_MS || 30_000);
const DATA_DIR = path.resolve(ROOT, process.env.CLIENTBOOK_DATA_DIR || '.data');

// Each app and where its liveness is asked (any HTTP answer counts).
const APPS = [
  {
    name: 'clients',
    health: `http://127.0.0.1:${process.env.CLIENTS_PORT || PORTS['clients']}/internal/health`,
  },
  {
    name: 'import-matching',
    health: `http://127.0.0.1:${process.env.IMPORT_MATCHING_PORT || PORTS['import-matching']}/internal/health`,
  },
  { name: 'crm', health: `http://127.0.0.1:${process.env.CRM_PORT || PORTS['crm']}/internal/health` },
  {
    name: 'knowledge-base',
    health: `http://127.0.0.1:${process.env.KNOWLEDGE_BASE_PORT || PORTS['knowledge-base']}/internal/health`,
  },
  {
    name: 'invoices',
    health: `http://127.0.0.1:${process.env.INVOICES_PORT || PORTS['invoices']}/internal/health`,
  },
  { name: 'gateway', health: `http://127.0.0.1:${PORT}/health` },
];

const log = (message) => process.stderr.write(`[start] ${message}\n`);
const supervisors = [];
let stopping = false;
let startedInfra = [];

/**
 * The secret the gateway and the services sign their calls with (ADR 0008): CLIENTBOOK_INTERNAL_SECRET,
 * else one generated once into the data folder and handed to every process.
 */
function internalSecret() {
  if (process.env.CLIENTBOOK_INTERNAL_SECRET) return process.env.CLIENTBOOK_INTERNAL_SECRET;
  const file = path.join(DATA_DIR, 'internal-secret');
  if (!fs.existsSync(file)) {
    fs.mkdirSync(DATA_DIR, { recursive: true });
    fs.writeFileSync(file, `${crypto.randomBytes(32).toString('base64url')}\n`, { mode: 0o600 });
  }
  return fs.readFileSync(file, 'utf8').trim();
}

function startApp(app, env) {
  const supervisor = new Supervisor({
    name: app.name,
    args: ['-r', './tools/register.cjs', `apps/${app.name}/src/main.ts`],
    cwd: ROOT,
    env,
    healthUrl: app.health,
    livenessTimeoutMs: LIVENESS_TIMEOUT_MS,
    startGraceMs: HEALTH_TIMEOUT_MS,
    log,
    onGiveUp: (reason) => {
      log(`${reason}; stopping everything`);
      shutdown(1);
    },
  });
  supervisors.push(supervisor);
  supervisor.start();
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
  await Promise.all(supervisors.map((supervisor) => supervisor.stop()));
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
    CLIENTBOOK_INTERNAL_SECRET: internalSecret(),
  };
  for (const app of APPS) startApp(app, env);
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
