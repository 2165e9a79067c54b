#!/usr/bin/env node
// `npm test`: every test. The unit and integration projects first (the integration project's
// global setup starts the local Kafka and FerretDB, or uses KAFKA_BROKERS / MONGODB_URI), then the
// fault suite, which starts servers of its own to kill (jest.faults.config.js). Extra arguments
// go to the first run only (and skip the fault suite): `npm test -- libs/event-store`.
// Ends with the plain summary line `N passed, M failed`.
'use strict';

const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const extra = process.argv.slice(2);

/** One jest run, its results written to `file`; returns its counts. */
function run(file, args) {
  const resultFile = path.resolve(ROOT, file);
  fs.mkdirSync(path.dirname(resultFile), { recursive: true });
  fs.rmSync(resultFile, { force: true });
  const jest = spawnSync(
    process.execPath,
    [require.resolve('jest/bin/jest', { paths: [ROOT] }), '--json', `--outputFile=${resultFile}`, ...args],
    { cwd: ROOT, stdio: 'inherit', env: { ...process.env, KAFKAJS_NO_PARTITIONER_WARNING: '1' } },
  );
  let passed = 0;
  let failed = 0;
  try {
    const result = JSON.parse(fs.readFileSync(resultFile, 'utf8'));
    passed = result.numPassedTests;
    // A suite that fails to run (syntax error, failing hook) has no failed tests: count it too.
    failed = result.numFailedTests + result.numRuntimeErrorTestSuites;
    if (result.numTotalTests === 0) failed += 1;
  } catch {
    failed += 1;
  }
  if (jest.status !== 0 && failed === 0) failed = 1;
  return { passed, failed };
}

const runs = [];
if (process.env.JEST_RESULTS_FILE) runs.push(run(process.env.JEST_RESULTS_FILE, extra));
else {
  runs.push(run(path.join('.data', 'jest-results.json'), extra));
  if (extra.length === 0)
    runs.push(run(path.join('.data', 'jest-faults-results.json'), ['--config', 'jest.faults.config.js']));
}
const passed = runs.reduce((n, r) => n + r.passed, 0);
const failed = runs.reduce((n, r) => n + r.failed, 0);
process.stdout.write(`\n${passed} passed, ${failed} failed\n`);
process.exit(failed === 0 ? 0 : 1);
