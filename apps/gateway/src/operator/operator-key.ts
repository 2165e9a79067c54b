import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

export type OperatorKeySource = 'environment' | 'file' | 'generated';

/**
 * The operator key creates tenants. It comes from OPERATOR_KEY; when that is unset, from
 * `<dataDir>/operator-key`, generated (and printed once) on the first start.
 */
export function loadOperatorKey(
  given: string | null,
  dataDir: string,
): { key: string; source: OperatorKeySource; file: string } {
  const file = path.resolve(dataDir, 'operator-key');
  if (given) return { key: given, source: 'environment', file };
  if (fs.existsSync(file)) return { key: fs.readFileSync(file, 'utf8').trim(), source: 'file', file };
  const key = `cbo_${randomBytes(32).toString('base64url')}`;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${key}\n`, { mode: 0o600 });
  return { key, source: 'generated', file };
}

/** Keys are kept and compared as SHA-256 digests, in constant time. */
export function digestKey(key: string): Buffer {
  return createHash('sha256').update(key, 'utf8').digest();
}

export function sameDigest(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
