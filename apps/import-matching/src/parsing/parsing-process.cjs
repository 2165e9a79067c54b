// The process that parses one import file (isolated-parsing.ts starts it). Plain CommonJS: it
// installs the same TypeScript loader the service runs with, loads the parsers, then waits for the
// one file it is sent: it is started ahead of need, so a job does not wait for the loading.
'use strict';
require('../../../../tools/register.cjs');
const { parseFile } = require('./parse-file.ts');

// The service went away (killed, restarted): so does this process.
process.on('disconnect', () => process.exit(0));

process.once('message', (file) =>
  parseFile(file).then(
    (parsed) => process.send({ ok: true, parsed }),
    (error) =>
      process.send({
        ok: false,
        code: typeof error?.code === 'string' ? error.code : 'internal',
        message: String(error?.message ?? error),
      }),
  ),
);
