import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const INFRA = path.resolve(__dirname, 'infra.js');

function runInfra(args: string[], env: NodeJS.ProcessEnv) {
  return spawnSync(process.execPath, [INFRA, ...args], { encoding: 'utf8', env, timeout: 30_000 });
}

describe('tools/infra/infra.js', () => {
  let dataDir: string;
  let binDir: string;

  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'clientbook-infra-'));
    // A PATH that has node and nothing else: no java, mvn or go.
    binDir = fs.mkdtempSync(path.join(os.tmpdir(), 'clientbook-bin-'));
    fs.symlinkSync(process.execPath, path.join(binDir, 'node'));
  });

  afterEach(() => {
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(binDir, { recursive: true, force: true });
  });

  it('names the missing tool and the way out instead of failing obscurely', () => {
    const result = runInfra(['up'], {
      PATH: binDir,
      CLIENTBOOK_DATA_DIR: dataDir,
      CLIENTBOOK_KAFKA_PORT: '1',
      CLIENTBOOK_FERRETDB_PORT: '2',
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/`(mvn|go)` is missing/);
    expect(result.stderr).toContain('KAFKA_BROKERS and MONGODB_URI');
  });

  it('answers usage for an unknown command', () => {
    const result = runInfra(['sideways'], { PATH: binDir });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('usage: node tools/infra/infra.js up|down|status');
  });
});
