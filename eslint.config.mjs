import nx from '@nx/eslint-plugin';

// Which projects may import which (Nx tags in each project.json). Apps never import apps; the
// system tests and benchmarks compose the services through their entry points (`@clientbook/*-app`)
// and nothing else may.
const boundaries = (allow) => ({
  enforceBuildableLibDependency: false,
  allow,
  depConstraints: [
    { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: [] },
    { sourceTag: 'type:identifiers', onlyDependOnLibsWithTags: [] },
    { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:contracts'] },
    { sourceTag: 'type:event-store', onlyDependOnLibsWithTags: ['type:contracts', 'type:testing'] },
    {
      sourceTag: 'type:platform',
      onlyDependOnLibsWithTags: ['type:contracts', 'type:event-store', 'type:testing'],
    },
    {
      sourceTag: 'type:app',
      onlyDependOnLibsWithTags: [
        'type:contracts',
        'type:event-store',
        'type:identifiers',
        'type:platform',
        'type:testing',
      ],
    },
    {
      sourceTag: 'type:system-tests',
      onlyDependOnLibsWithTags: [
        'type:contracts',
        'type:event-store',
        'type:identifiers',
        'type:platform',
        'type:testing',
      ],
    },
  ],
});
const SERVICE_ENTRY_POINTS = [
  '@clientbook/clients-app',
  '@clientbook/crm-app',
  '@clientbook/knowledge-base-app',
  '@clientbook/invoices-app',
  '@clientbook/gateway-app',
  '@clientbook/import-matching-app',
];

// Domain code decides; it does not talk to frameworks, databases, brokers or the file system.
const NOT_IN_DOMAIN = [
  {
    group: ['@nestjs/*', 'mongodb', 'mongoose', 'kafkajs', 'express'],
    message: 'domain code is free of framework and I/O',
  },
  {
    group: ['@clientbook/platform', '@clientbook/event-store'],
    message: 'domain code is free of framework and I/O',
  },
  {
    group: [
      'node:fs',
      'node:fs/*',
      'fs',
      'node:http',
      'node:https',
      'node:net',
      'node:child_process',
      'node:worker_threads',
      'node:process',
      'node:os',
      'node:dgram',
      'http',
      'https',
      'net',
      'child_process',
      'worker_threads',
      'process',
      'os',
      'dgram',
    ],
    message: 'domain code does no I/O',
  },
  {
    // Nor does it reach the service's own I/O layers by a relative path.
    group: [
      '**/infrastructure',
      '**/infrastructure/**',
      '**/application',
      '**/application/**',
      '**/http',
      '**/http/**',
      '**/jobs/**',
      '**/*.controller',
      '**/*.projection',
    ],
    message: 'domain code does not depend on the layers that do I/O',
  },
];

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  { ignores: ['node_modules', '.data', 'dist', '.nx', 'bench/results'] },
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@nx/enforce-module-boundaries': ['error', boundaries([])],
    },
  },
  {
    files: ['apps/system-tests/**/*.ts', 'bench/**/*.ts'],
    rules: { '@nx/enforce-module-boundaries': ['error', boundaries(SERVICE_ENTRY_POINTS)] },
  },
  {
    // Domain code: each service's domain/, and import-matching's use cases (parsers, rules, line
    // planning), all but the files whose suffix names a framework role.
    files: [
      'apps/*/src/domain/**/*.ts',
      'apps/import-matching/src/{bank-statements,eshop-orders,client-files,matching}/**/*.ts',
    ],
    ignores: ['**/*.dto.ts', '**/*.controller.ts', '**/*.projection.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: NOT_IN_DOMAIN }] },
  },
  {
    // Tests read loosely typed JSON answers.
    files: ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts', 'apps/system-tests/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { require: 'readonly', module: 'writable', __dirname: 'readonly', process: 'readonly' },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
];
