// `npm run test:faults` (also run by `npm test`): the fault suite. It starts Kafka, PostgreSQL and
// FerretDB of its own (to kill them without touching other tests), so no global setup.
const { projects } = require('./jest.config.js');

const integration = projects.find((project) => project.displayName === 'integration');
const { globalSetup: _setup, globalTeardown: _teardown, ...rest } = integration;

module.exports = {
  testTimeout: 300_000,
  projects: [
    {
      ...rest,
      displayName: 'faults',
      testMatch: ['<rootDir>/apps/system-tests/src/faults/**/*.fault-spec.ts'],
    },
  ],
};
