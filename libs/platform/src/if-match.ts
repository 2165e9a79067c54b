import { ApiError } from './problem-details.filter';

/**
 * `If-Match: "3"` (or W/"3", or 3) → 3; absent or `*` → null (unconditional). `what` names the
 * versioned thing in the error (`a client version`).
 */
export function parseIfMatch(header: string | undefined, what = 'a version'): number | null {
  if (header === undefined || header.trim() === '*' || header.trim() === '') return null;
  const match = /^\s*(?:W\/)?"?(\d{1,15})"?\s*$/.exec(header);
  if (!match) {
    const message = `${what}, e.g. "3"`;
    throw new ApiError('validation_failed', `If-Match: ${message}`, [{ field: 'If-Match', message }]);
  }
  return Number(match[1]);
}

/** The ETag of a version: `"3"`. */
export const etagOf = (version: number): string => `"${version}"`;
