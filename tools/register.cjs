// Runs the TypeScript sources directly (SWC: decorator metadata for NestJS, tsconfig paths for
// @clientbook/* aliases). Used by `npm start`, the Nx serve targets and the benchmark.
process.env.SWC_NODE_PROJECT ??= require('node:path').join(__dirname, '..', 'tsconfig.json');
require('@swc-node/register');
