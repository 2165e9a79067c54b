// `npm run test:peer`: the opt-in suite that imports other projects' statements from
// ../shared/peer-data (never copied in). The integration project's setup, its own test files.
const { projects } = require('./jest.config.js');

const integration = projects.find((project) => project.displayName === 'integration');

module.exports = {
  testTimeout: 120_000,
  projects: [
    {
      ...integration,
      displayName: 'peer',
      testMatch: ['<rootDir>/apps/system-tests/src/peer/**/*.peer-spec.ts'],
    },
  ],
};
