#!/usr/bin/env node
// `npm test`: every test (unit and integration; the integration project's global setup starts
// the local Kafka and FerretDB, or uses KAFKA_BROKERS / MONGODB_URI). Extra arguments go to jest.
// Ends with the plain summary line `N passed, M failed`.
'use strict';

const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const resultFile = path.resolve(ROOT, process.env.JEST_RESULTS_FILE || path.join('.data', 'jest-results.json'));
fs.mkdirSync(path.dirname(resultFile), { recursive: true });
fs.rmSync(resultFile, { force: true });

const jest = spawnSync(
  process.execPath,
  [
    require.resolve('jest/bin/jest', { paths: [ROOT] }),
    '--json',
    `--outputFile=${resultFile}`,
    ...process.argv.slice(2),
  ],
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
process.stdout.write(`\n${passed} passed, ${failed} failed\n`);
process.exit(failed === 0 && jest.status === 0 ? 0 : 1);
