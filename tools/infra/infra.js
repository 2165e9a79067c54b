#!/usr/bin/env node
// Local infrastructure without Docker: the Apache Kafka broker (jars from Maven Central, KRaft,
// single node) and FerretDB embedded in a small Go program, all on 127.0.0.1. FerretDB stores
// in a local PostgreSQL server by default (docs/adr/0002), or in SQLite with
// CLIENTBOOK_FERRETDB_BACKEND=sqlite.
// `node tools/infra/infra.js up|down|status`. With KAFKA_BROKERS and MONGODB_URI set it starts
// nothing and reports those. CommonJS on purpose: the CLI, `npm start` and jest's global setup
// all load it before any TypeScript tooling runs.
'use strict';

const { spawn, spawnSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');
const DATA = path.resolve(process.env.CLIENTBOOK_DATA_DIR || path.join(ROOT, '.data'));
// The default ports, shared with the services' own configuration.
const { infrastructure: PORTS } = require('../../libs/platform/src/ports.json');
const KAFKA_PORT = Number(process.env.CLIENTBOOK_KAFKA_PORT || PORTS.kafka);
const KAFKA_CONTROLLER_PORT = Number(process.env.CLIENTBOOK_KAFKA_CONTROLLER_PORT || KAFKA_PORT + 1);
const FERRETDB_PORT = Number(process.env.CLIENTBOOK_FERRETDB_PORT || PORTS.ferretdb);
const POSTGRES_PORT = Number(process.env.CLIENTBOOK_POSTGRES_PORT || PORTS.postgres);
const BACKEND = process.env.CLIENTBOOK_FERRETDB_BACKEND || 'postgresql';
const READY_TIMEOUT_MS = Number(process.env.CLIENTBOOK_INFRA_TIMEOUT_MS || 120_000);

// The Kafka jars and the FerretDB binary: beside the data, or shared by several data folders
// (CLIENTBOOK_TOOLS_DIR), as the fault suite's servers share the ones the tests already fetched.
const TOOLS = path.resolve(process.env.CLIENTBOOK_TOOLS_DIR || DATA);
const kafkaDir = path.join(DATA, 'kafka');
const kafkaLibs = path.join(TOOLS, 'kafka', 'libs');
const ferretBin = path.join(TOOLS, 'bin', 'ferretdb');
const ferretSrc = path.join(ROOT, 'tools', 'infra', 'ferretdb');
const kafkaSrc = path.join(ROOT, 'tools', 'infra', 'kafka');

const parts = {
  kafka: {
    name: 'Kafka',
    pidFile: path.join(kafkaDir, 'kafka.pid'),
    logFile: path.join(kafkaDir, 'kafka.out'),
    address: `127.0.0.1:${KAFKA_PORT}`,
    port: KAFKA_PORT,
  },
  postgres: {
    name: 'PostgreSQL',
    dataDir: path.join(DATA, 'postgres', 'data'),
    logFile: path.join(DATA, 'postgres', 'postgres.log'),
    address: `127.0.0.1:${POSTGRES_PORT}`,
    port: POSTGRES_PORT,
  },
  ferretdb: {
    name: 'FerretDB',
    pidFile: path.join(DATA, 'ferretdb', 'ferretdb.pid'),
    logFile: path.join(DATA, 'ferretdb', 'ferretdb.out'),
    address: `127.0.0.1:${FERRETDB_PORT}`,
    port: FERRETDB_PORT,
  },
};

function log(message) {
  process.stderr.write(`[infra] ${message}\n`);
}

class InfraError extends Error {}

/** Where the apps and tests find Kafka and MongoDB: given by the environment, or the local ones. */
function endpoints() {
  if (process.env.KAFKA_BROKERS && process.env.MONGODB_URI) {
    return { kafkaBrokers: process.env.KAFKA_BROKERS, mongodbUri: process.env.MONGODB_URI, external: true };
  }
  return {
    kafkaBrokers: parts.kafka.address,
    mongodbUri: `mongodb://${parts.ferretdb.address}/`,
    external: false,
  };
}

function sha256(files) {
  const hash = crypto.createHash('sha256');
  for (const file of files) hash.update(fs.readFileSync(file));
  return hash.digest('hex');
}

function requireTool(command, args, why) {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  if (result.error || result.status !== 0) {
    throw new InfraError(
      `\`${command}\` is missing: ${why}. Install it (see README "Requirements"), ` +
        'or set KAFKA_BROKERS and MONGODB_URI to use servers you already run.',
    );
  }
}

/** Runs a command, printing a line of progress every few output lines instead of all of them. */
function runWithProgress(label, command, args, options, isProgressLine) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let count = 0;
    let tail = [];
    const onData = (chunk) => {
      for (const line of chunk.toString().split('\n')) {
        if (!line.trim()) continue;
        tail = [...tail.slice(-30), line];
        if (isProgressLine(line)) {
          count += 1;
          if (count % 10 === 1) log(`${label}: ${count} done (${line.trim().slice(0, 100)})`);
        }
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) {
        log(`${label}: finished (${count} steps)`);
        resolve();
      } else {
        reject(new InfraError(`${label} failed (exit ${code}):\n${tail.join('\n')}`));
      }
    });
  });
}

async function ensureKafkaJars() {
  const stamp = path.join(kafkaLibs, '.pom.sha256');
  const wanted = sha256([path.join(kafkaSrc, 'pom.xml')]);
  if (fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === wanted) return;
  requireTool('mvn', ['-v'], 'Maven fetches the Kafka broker jars from Maven Central');
  log('Kafka: fetching the broker jars from Maven Central (first run only)…');
  fs.rmSync(kafkaLibs, { recursive: true, force: true });
  fs.mkdirSync(kafkaLibs, { recursive: true });
  await runWithProgress(
    'Kafka jars',
    'mvn',
    [
      '-B',
      '-f',
      path.join(kafkaSrc, 'pom.xml'),
      'dependency:copy-dependencies',
      `-DoutputDirectory=${kafkaLibs}`,
    ],
    { cwd: kafkaSrc },
    (line) => /Downloaded from|Copying /.test(line),
  );
  fs.writeFileSync(stamp, wanted);
}

async function ensureFerretBinary() {
  const stamp = `${ferretBin}.sha256`;
  const wanted = sha256(['go.mod', 'go.sum', 'main.go'].map((f) => path.join(ferretSrc, f)));
  if (fs.existsSync(ferretBin) && fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === wanted) return;
  requireTool('go', ['version'], 'Go builds the embedded FerretDB server');
  log('FerretDB: building the embedded server with Go (first run only, about 2 minutes)…');
  fs.mkdirSync(path.dirname(ferretBin), { recursive: true });
  await runWithProgress(
    'FerretDB build',
    'go',
    ['build', '-v', '-o', ferretBin, '.'],
    { cwd: ferretSrc, env: { ...process.env, CGO_ENABLED: '0' } },
    (line) => !line.startsWith('go: downloading'),
  );
  fs.writeFileSync(stamp, wanted);
}

function readPid(part) {
  try {
    const pid = Number(fs.readFileSync(part.pidFile, 'utf8').trim());
    if (!pid) return null;
    process.kill(pid, 0);
    return pid;
  } catch {
    return null;
  }
}

function portOpen(port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.setTimeout(1000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
  });
}

function startDetached(part, command, args, options = {}) {
  fs.mkdirSync(path.dirname(part.logFile), { recursive: true });
  const out = fs.openSync(part.logFile, 'a');
  const child = spawn(command, args, { ...options, detached: true, stdio: ['ignore', out, out] });
  child.unref();
  fs.closeSync(out);
  fs.writeFileSync(part.pidFile, String(child.pid));
  return child.pid;
}

function logTail(part, lines = 20) {
  try {
    return fs.readFileSync(part.logFile, 'utf8').trim().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

function kafkaJava() {
  return [
    '-Xms128m',
    '-Xmx512m',
    '-XX:+UseG1GC',
    '-XX:MaxGCPauseMillis=20',
    '-Djava.awt.headless=true',
    `-Dlog4j.configuration=file:${path.join(kafkaSrc, 'log4j.properties')}`,
    `-Dkafka.logs.dir=${path.join(kafkaDir, 'logs')}`,
    '-cp',
    `${kafkaLibs}/*`,
  ];
}

async function startKafka() {
  const part = parts.kafka;
  if (readPid(part)) return false;
  if (await portOpen(part.port)) {
    throw new InfraError(
      `port ${part.port} is taken by a process that is not our Kafka; stop it or set CLIENTBOOK_KAFKA_PORT`,
    );
  }
  requireTool('java', ['-version'], 'the Kafka broker runs on Java 17 or newer');
  await ensureKafkaJars();
  const dataDir = path.join(kafkaDir, 'data');
  const props = path.join(kafkaDir, 'server.properties');
  const template = fs.readFileSync(path.join(kafkaSrc, 'server.properties.template'), 'utf8');
  fs.mkdirSync(dataDir, { recursive: true });
  fs.writeFileSync(
    props,
    template
      .replaceAll('@PORT@', String(KAFKA_PORT))
      .replaceAll('@CONTROLLER_PORT@', String(KAFKA_CONTROLLER_PORT))
      .replaceAll('@DATA_DIR@', dataDir),
  );
  if (!fs.existsSync(path.join(dataDir, 'meta.properties'))) {
    const clusterId = crypto.randomBytes(16).toString('base64url');
    const format = spawnSync(
      'java',
      [...kafkaJava(), 'kafka.tools.StorageTool', 'format', '-t', clusterId, '-c', props],
      {
        encoding: 'utf8',
      },
    );
    if (format.status !== 0)
      throw new InfraError(`formatting Kafka storage failed:\n${format.stdout}${format.stderr}`);
  }
  log(`Kafka: starting on ${part.address}`);
  startDetached(part, 'java', [...kafkaJava(), 'kafka.Kafka', props]);
  return true;
}

/** initdb, pg_ctl and postgres of the newest PostgreSQL on this machine. */
function postgresBinaries() {
  const candidates = [];
  const debianRoot = '/usr/lib/postgresql';
  if (fs.existsSync(debianRoot)) {
    for (const version of fs.readdirSync(debianRoot).sort((a, b) => Number(b) - Number(a))) {
      candidates.push(path.join(debianRoot, version, 'bin'));
    }
  }
  const onPath = spawnSync('pg_config', ['--bindir'], { encoding: 'utf8' });
  if (onPath.status === 0) candidates.push(onPath.stdout.trim());
  for (const dir of candidates) {
    if (['initdb', 'pg_ctl', 'postgres'].every((b) => fs.existsSync(path.join(dir, b)))) {
      const psql = fs.existsSync(path.join(dir, 'psql')) ? path.join(dir, 'psql') : 'psql';
      return { initdb: path.join(dir, 'initdb'), pgCtl: path.join(dir, 'pg_ctl'), psql };
    }
  }
  throw new InfraError(
    'the PostgreSQL server (initdb, pg_ctl, postgres) is missing: FerretDB stores in it by default. ' +
      'Install it (Debian: apt-get install postgresql), or set CLIENTBOOK_FERRETDB_BACKEND=sqlite, ' +
      'or set KAFKA_BROKERS and MONGODB_URI to use servers you already run.',
  );
}

/**
 * As root, the cluster belongs to `postgres`, which must be able to reach it: when the project
 * sits below a folder closed to other users, the cluster moves to a folder of its own in /var/tmp.
 */
function ensurePostgresCanReach(part) {
  if (process.getuid?.() !== 0) return;
  fs.mkdirSync(path.dirname(part.dataDir), { recursive: true });
  const reach = spawnSync('runuser', ['-u', 'postgres', '--', 'test', '-x', path.dirname(part.dataDir)]);
  if (reach.status === 0) return;
  const hash = crypto.createHash('sha256').update(DATA).digest('hex').slice(0, 12);
  const home = path.join('/var/tmp', `clientbook-postgres-${hash}`);
  fs.mkdirSync(home, { recursive: true, mode: 0o755 });
  part.dataDir = path.join(home, 'data');
  part.logFile = path.join(home, 'postgres.log');
}

// PostgreSQL refuses to run as root: as root, its files and processes belong to `postgres`.
function asPostgresUser(command, args) {
  if (process.getuid?.() !== 0) return [command, args];
  return ['runuser', ['-u', 'postgres', '--', command, ...args]];
}

function runPg(command, args, input) {
  const [cmd, argv] = asPostgresUser(command, args);
  return spawnSync(cmd, argv, { encoding: 'utf8', input });
}

function postgresRunning() {
  const part = parts.postgres;
  ensurePostgresCanReach(part);
  if (!fs.existsSync(path.join(part.dataDir, 'PG_VERSION'))) return false;
  const { pgCtl } = postgresBinaries();
  return runPg(pgCtl, ['status', '-D', part.dataDir]).status === 0;
}

async function startPostgres() {
  const part = parts.postgres;
  ensurePostgresCanReach(part);
  const { initdb, pgCtl } = postgresBinaries();
  if (postgresRunning()) return false;
  if (await portOpen(part.port)) {
    throw new InfraError(
      `port ${part.port} is taken by a process that is not our PostgreSQL; set CLIENTBOOK_POSTGRES_PORT`,
    );
  }
  fs.mkdirSync(path.dirname(part.dataDir), { recursive: true });
  if (process.getuid?.() === 0) spawnSync('chown', ['postgres', path.dirname(part.dataDir)]);
  if (!fs.existsSync(path.join(part.dataDir, 'PG_VERSION'))) {
    log('PostgreSQL: creating the database cluster (first run only)…');
    const init = runPg(initdb, [
      '-D',
      part.dataDir,
      '-A',
      'trust',
      '-U',
      'postgres',
      '-E',
      'UTF8',
      '--no-instructions',
    ]);
    if (init.status !== 0) throw new InfraError(`initdb failed:\n${init.stdout}${init.stderr}`);
  }
  log(`PostgreSQL: starting on ${part.address}`);
  const options = [
    `-p ${part.port}`,
    '-c listen_addresses=127.0.0.1',
    "-c unix_socket_directories=''",
    // Every commit waits for its WAL to reach the disk: with `synchronous_commit=off`, PostgreSQL
    // dying (not only the machine) lost writes it had acknowledged, as the fault suite showed.
    '-c synchronous_commit=on',
    '-c shared_buffers=128MB',
    '-c max_connections=350',
  ].join(' ');
  const start = runPg(pgCtl, [
    'start',
    '-w',
    '-t',
    '60',
    '-D',
    part.dataDir,
    '-l',
    part.logFile,
    '-o',
    options,
  ]);
  if (start.status !== 0) {
    throw new InfraError(
      `PostgreSQL did not start:\n${start.stdout}${start.stderr}\n${logTail({ logFile: part.logFile })}`,
    );
  }
  installIdIndexes(part);
  return true;
}

/** Installs (idempotently) the trigger that indexes `_id` in every table FerretDB creates. */
function installIdIndexes(part) {
  const { psql } = postgresBinaries();
  // Given on standard input: the postgres user may not be able to read the project's folder.
  const sql = fs.readFileSync(
    path.join(ROOT, 'tools', 'infra', 'postgres', 'ferretdb-id-indexes.sql'),
    'utf8',
  );
  const args = [
    '-h',
    '127.0.0.1',
    '-p',
    String(part.port),
    '-U',
    'postgres',
    '-d',
    'postgres',
    '-q',
    '-v',
    'ON_ERROR_STOP=1',
  ];
  const result = runPg(psql, args, sql);
  if (result.status !== 0)
    throw new InfraError(`installing the _id index trigger failed:\n${result.stdout}${result.stderr}`);
}

async function stopPostgres() {
  if (!postgresRunning()) return false;
  log('PostgreSQL: stopping');
  runPg(postgresBinaries().pgCtl, ['stop', '-m', 'fast', '-w', '-D', parts.postgres.dataDir]);
  return true;
}

async function startFerretDB() {
  const part = parts.ferretdb;
  if (readPid(part)) return false;
  if (await portOpen(part.port)) {
    throw new InfraError(
      `port ${part.port} is taken by a process that is not our FerretDB; stop it or set CLIENTBOOK_FERRETDB_PORT`,
    );
  }
  await ensureFerretBinary();
  const args = ['-listen', part.address, '-data', path.join(DATA, 'ferretdb', 'sqlite')];
  if (BACKEND === 'postgresql')
    // FerretDB's own default pool is 50 connections; when all are taken it can deadlock on
    // itself (seen here under load). A larger pool, and services that open at most
    // MONGODB_MAX_POOL_SIZE connections each, keep it out of reach (ADR 0002).
    args.push('-postgresql-url', `postgres://postgres@${parts.postgres.address}/postgres?pool_max_conns=300`);
  log(`FerretDB: starting on ${part.address} (${BACKEND} backend)`);
  startDetached(part, ferretBin, args);
  return true;
}

function loadFromProject(name) {
  // Resolved from the project's node_modules, which `npm ci` installs before anything starts.
  return require(require.resolve(name, { paths: [ROOT] }));
}

async function kafkaAnswers(brokers, timeoutMs = 3000) {
  const { Kafka, logLevel } = loadFromProject('kafkajs');
  // The same login the services use on a cluster that wants one (KAFKA_SASL_*; docker-compose.yml).
  const sasl = process.env.KAFKA_SASL_USERNAME
    ? {
        mechanism: (process.env.KAFKA_SASL_MECHANISM || 'scram-sha-256').toLowerCase(),
        username: process.env.KAFKA_SASL_USERNAME,
        password: process.env.KAFKA_SASL_PASSWORD || '',
      }
    : undefined;
  const admin = new Kafka({
    clientId: 'clientbook-infra',
    brokers: brokers.split(','),
    ...(sasl ? { sasl } : {}),
    ...(process.env.KAFKA_SSL === 'true' ? { ssl: true } : {}),
    logLevel: logLevel.NOTHING,
    connectionTimeout: timeoutMs,
    retry: { retries: 0 },
  }).admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    // Consumer groups need the group coordinator (and its offsets topic, created on first ask).
    await admin.describeGroups(['clientbook-infra-ready']);
    return cluster.brokers.length > 0;
  } catch {
    return false;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

async function mongoAnswers(uri, timeoutMs = 3000) {
  const { MongoClient } = loadFromProject('mongodb');
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: timeoutMs, connectTimeoutMS: timeoutMs });
  try {
    await client.connect();
    await client.db('admin').command({ ping: 1 });
    return true;
  } catch {
    return false;
  } finally {
    await client.close().catch(() => undefined);
  }
}

async function waitUntil(label, check, part) {
  const started = Date.now();
  let announced = false;
  while (Date.now() - started < READY_TIMEOUT_MS) {
    if (await check()) {
      log(`${label}: ready (${((Date.now() - started) / 1000).toFixed(1)} s)`);
      return;
    }
    if (part && !readPid(part)) {
      throw new InfraError(
        `${label} exited while starting; last lines of ${part.logFile}:\n${logTail(part)}`,
      );
    }
    if (!announced && Date.now() - started > 3000) {
      log(`${label}: waiting for it to accept connections…`);
      announced = true;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new InfraError(
    `${label} did not accept connections within ${READY_TIMEOUT_MS / 1000} s` +
      (part ? `; last lines of ${part.logFile}:\n${logTail(part)}` : ''),
  );
}

/** Starts whatever is not running yet and waits until both accept connections. Idempotent. */
async function up() {
  const ep = endpoints();
  if (!ep.external && BACKEND !== 'postgresql' && BACKEND !== 'sqlite') {
    throw new InfraError(
      `CLIENTBOOK_FERRETDB_BACKEND must be postgresql or sqlite, not ${JSON.stringify(BACKEND)}`,
    );
  }
  if (ep.external) {
    log(`using the given servers: KAFKA_BROKERS=${ep.kafkaBrokers} MONGODB_URI=${ep.mongodbUri}`);
    await waitUntil('Kafka', () => kafkaAnswers(ep.kafkaBrokers));
    await waitUntil('MongoDB', () => mongoAnswers(ep.mongodbUri));
    return { ...ep, started: [] };
  }
  fs.mkdirSync(DATA, { recursive: true });
  // Build and fetch both first, in parallel: the two take the longest on a fresh machine.
  await Promise.all([ensureKafkaJars(), ensureFerretBinary()]);
  const started = [];
  if (await startKafka()) started.push('kafka');
  if (BACKEND === 'postgresql' && (await startPostgres())) started.push('postgres');
  if (await startFerretDB()) started.push('ferretdb');
  await Promise.all([
    waitUntil('FerretDB', () => mongoAnswers(ep.mongodbUri), parts.ferretdb),
    waitUntil('Kafka', () => kafkaAnswers(ep.kafkaBrokers), parts.kafka),
  ]);
  return { ...ep, started };
}

async function stopPart(part) {
  const pid = readPid(part);
  if (!pid) {
    fs.rmSync(part.pidFile, { force: true });
    return false;
  }
  log(`${part.name}: stopping (pid ${pid})`);
  try {
    process.kill(-pid, 'SIGTERM');
  } catch {
    process.kill(pid, 'SIGTERM');
  }
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline && readPid(part)) await new Promise((r) => setTimeout(r, 200));
  if (readPid(part)) {
    log(`${part.name}: did not stop in 30 s, killing it`);
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
  fs.rmSync(part.pidFile, { force: true });
  return true;
}

/** Stops the local servers (only those listed, or all). Data stays in .data/. */
async function down(which = ['kafka', 'ferretdb', 'postgres']) {
  // FerretDB before the PostgreSQL it stores in.
  for (const name of ['kafka', 'ferretdb', 'postgres'].filter((n) => which.includes(n))) {
    if (name === 'postgres') {
      await stopPostgres();
    } else {
      await stopPart(parts[name]);
    }
  }
}

async function status() {
  const ep = endpoints();
  const kafka = await kafkaAnswers(ep.kafkaBrokers);
  const mongo = await mongoAnswers(ep.mongodbUri);
  return {
    mode: ep.external ? 'external' : `local, FerretDB on ${BACKEND}`,
    kafka: { address: ep.kafkaBrokers, answers: kafka, pid: ep.external ? null : readPid(parts.kafka) },
    mongodb: { address: ep.mongodbUri, answers: mongo, pid: ep.external ? null : readPid(parts.ferretdb) },
    postgres:
      ep.external || BACKEND !== 'postgresql'
        ? null
        : { address: parts.postgres.address, answers: await portOpen(parts.postgres.port) },
  };
}

module.exports = { up, down, status, endpoints, InfraError };

if (require.main === module) {
  const command = process.argv[2];
  const run = async () => {
    switch (command) {
      case 'up': {
        const result = await up();
        log(`Kafka ${result.kafkaBrokers}, MongoDB ${result.mongodbUri}`);
        return 0;
      }
      case 'down':
        await down();
        return 0;
      case 'status': {
        const s = await status();
        const line = (name, p) =>
          `${name.padEnd(8)} ${p.answers ? 'up  ' : 'DOWN'} ${p.address}${p.pid ? ` (pid ${p.pid})` : ''}`;
        process.stdout.write(
          `mode     ${s.mode}\n${line('kafka', s.kafka)}\n${line('mongodb', s.mongodb)}\n`,
        );
        if (s.postgres) process.stdout.write(`${line('postgres', s.postgres)}\n`);
        return s.kafka.answers && s.mongodb.answers ? 0 : 1;
      }
      default:
        process.stderr.write('usage: node tools/infra/infra.js up|down|status\n');
        return 2;
    }
  };
  run().then(
    (code) => process.exit(code),
    (error) => {
      log(error instanceof InfraError ? error.message : error.stack);
      process.exit(1);
    },
  );
}
