import { ClientError } from '../domain';

/** `If-Match: "3"` (or W/"3", or 3) → 3; absent or `*` → null (unconditional). */
export function parseIfMatch(header: string | undefined): number | null {
  if (header === undefined || header.trim() === '*' || header.trim() === '') return null;
  const match = /^\s*(?:W\/)?"?(\d{1,15})"?\s*$/.exec(header);
  if (!match) throw ClientError.validation([{ field: 'If-Match', message: 'a client version, e.g. "3"' }]);
  return Number(match[1]);
}

export const etagOf = (version: number): string => `"${version}"`;
