import * as fs from 'node:fs';
import * as path from 'node:path';
import { runImport, startSystem, System, Tenant } from '../system';

// Opt-in (`npm run test:peer`): 59 statements written by nine other projects (MIT and Apache-2.0),
// read from ../shared/peer-data where that folder exists; never copied into this project.
const CORPUS = path.resolve(__dirname, '..', '..', '..', '..', '..', 'shared', 'peer-data', 'camt053-corpus');

type Expected = { file: string; folder: string; expected: string };

/** The files and what each must give, from the table in the corpus's SOURCES.md. */
function corpus(): Expected[] {
  const sources = path.join(CORPUS, 'SOURCES.md');
  if (!fs.existsSync(sources))
    throw new Error(
      `${sources} is not there: this suite reads other projects' statements from ../shared/peer-data`,
    );
  return fs
    .readFileSync(sources, 'utf8')
    .split('\n')
    .filter((line) => /^\| [^|]+\.xml \|/.test(line))
    .map((line) => {
      const cells = line.split('|').map((cell) => cell.trim());
      return { file: cells[1], folder: cells[2], expected: cells[10] };
    });
}

const files = corpus();

describe('other projects’ camt.053 statements, imported through the gateway', () => {
  let system: System;
  let tenant: Tenant;

  beforeAll(async () => {
    system = await startSystem();
    tenant = await system.createTenant({ name: 'UAB Bankų Išrašai', code: '300000090' });
  }, 60_000);

  afterAll(async () => {
    await system?.close();
  });

  it('has all 59 of them', () => {
    expect(files).toHaveLength(59);
  });

  it.each(files.map((f) => [f.file, f] as const))(
    '%s',
    async (_file, { file, folder, expected }) => {
      const bytes = fs.readFileSync(path.join(CORPUS, folder, file));
      const job = await runImport(tenant.admin, '/v1/imports/bank-statements', {
        raw: bytes,
        headers: { 'content-type': 'application/xml' },
      });
      const lines = /completed,? (\d+) lines/.exec(expected);
      // SOURCES.md lets a project refuse the re-encoded variants; this one reads the encoding a
      // statement declares (UTF-16, windows-1257), so for it they must complete, names intact.
      const mayRefuse = expected.includes('unparseable_file') && folder !== 'derived';
      if (expected.startsWith('failed')) {
        expect(job).toMatchObject({ status: 'failed', error: { code: 'unparseable_file' } });
      } else if (mayRefuse && job.status === 'failed') {
        expect(job.error.code).toBe('unparseable_file');
      } else {
        expect(job.status).toBe('completed');
        expect(job.lines).toHaveLength(Number(lines?.[1]));
      }
      // Names read as the file says them: never a replacement character.
      for (const line of job.lines ?? []) if (line.name) expect(line.name).not.toContain('\uFFFD');
      if (expected.includes('+ names'))
        expect(job.lines.map((l: { name: string | null }) => l.name)).toContain('UAB "ŠILUMA IR ŽĄSYS"');
    },
    120_000,
  );
});
