// One jest run, two projects: `unit` (pure code, no servers) and `integration` (the real
// Kafka and MongoDB-compatible server, started once by the global setup).
const path = require('node:path');
const { compilerOptions } = require('./tsconfig.base.json');

const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
      keepClassNames: true,
    },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  },
];

// '@clientbook/x' -> libs/x/src/index.ts, taken from tsconfig paths so the two never drift.
const moduleNameMapper = Object.fromEntries(
  Object.entries(compilerOptions.paths).map(([alias, [target]]) => [
    `^${alias.replace('/', '\\/')}$`,
    path.join('<rootDir>', target),
  ]),
);

// Packages published as ES modules only (Node requires them natively; jest needs them compiled).
const ESM_ONLY = [
  'p-map',
  'p-retry',
  'is-network-error',
  // file-type (image sniffing) and what it reads bytes with
  'file-type',
  'strtok3',
  'token-types',
  'uint8array-extras',
  '@tokenizer/inflate',
  '@borewit/text-codec',
  // amounts in Lithuanian words
  'n2words',
];

const common = {
  rootDir: __dirname,
  // These ship as ES modules only: jest runs them through SWC like our sources.
  transform: { '^.+\\.ts$': swc, [`/node_modules/(${ESM_ONLY.join('|')})/.+\\.js$`]: swc },
  transformIgnorePatterns: [`/node_modules/(?!(${ESM_ONLY.join('|')})/)`],
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper,
  testEnvironment: 'node',
  modulePathIgnorePatterns: ['<rootDir>/.data/', '<rootDir>/dist/'],
};

module.exports = {
  // Integration tests wait for consumer groups to join; unit tests never come near this.
  testTimeout: 30_000,
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/{apps,libs,tools}/**/*.spec.ts'],
    },
    {
      ...common,
      displayName: 'integration',
      testMatch: [
        '<rootDir>/{apps,libs,tools}/**/*.int-spec.ts',
        '<rootDir>/apps/system-tests/src/**/*.e2e-spec.ts',
      ],
      globalSetup: '<rootDir>/libs/testing/src/global-setup.ts',
      globalTeardown: '<rootDir>/libs/testing/src/global-teardown.ts',
      slowTestThreshold: 30,
    },
  ],
};
