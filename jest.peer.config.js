// `npm run test:peer`: the opt-in suites that read other projects' statements from
// ../shared/peer-data (never copied in). The integration project's setup, its own test files;
// a suite whose folder is not there is not run, and the run says so.
const fs = require('node:fs');
const path = require('node:path');
const { projects } = require('./jest.config.js');

const integration = projects.find((project) => project.displayName === 'integration');
const PEER_DATA = path.resolve(__dirname, '..', 'shared', 'peer-data');

// Each suite and the folder it reads.
const SUITES = [
  { file: 'camt053-corpus.peer-spec.ts', folder: 'camt053-corpus' },
  { file: 'oca-statements.peer-spec.ts', folder: 'camt053' },
];

const present = SUITES.filter(({ file, folder }) => {
  const there = fs.existsSync(path.join(PEER_DATA, folder));
  if (!there) process.stderr.write(`[peer] ${file}: ${path.join(PEER_DATA, folder)} is not there; not run\n`);
  return there;
});
if (present.length === 0) {
  process.stderr.write(`[peer] no peer data beside the clone (${PEER_DATA}): nothing to run\n`);
}

module.exports = {
  testTimeout: 120_000,
  passWithNoTests: true,
  projects: [
    {
      ...integration,
      displayName: 'peer',
      testMatch: present.map(({ file }) => `<rootDir>/apps/system-tests/src/peer/${file}`),
    },
  ],
};
