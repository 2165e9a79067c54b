import type { NextFunction, Request, Response } from 'express';
import { hasControlCharacter, problem, ProblemFieldError } from '@clientbook/platform';
import { methodsOf } from './known-routes';

/** Methods the API answers somewhere; anything else (TRACE, CONNECT, OPTIONS …) is 405 at once. */
const METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE']);

/** A percent-encoded value decoded until nothing is left to decode (`%252e` → `%2e` → `.`). */
function decodeFully(value: string): string | null {
  let current = value;
  for (let round = 0; round < 4 && current.includes('%'); round += 1) {
    try {
      const next = decodeURIComponent(current);
      if (next === current) break;
      current = next;
    } catch {
      return null;
    }
  }
  return current;
}

/**
 * Why a request target is refused, or null when it is fine: only origin-form targets; no dot
 * segments, backslashes, encoded slashes or control characters in the path, however encoded;
 * no NUL in query values. So a path means what it says, and the route matched is
 * the route served (API.md "Conventions").
 */
export function unsafeTargetReason(target: string): string | null {
  if (!target.startsWith('/') || target.startsWith('//')) return 'only a path may be requested (origin-form)';
  const question = target.indexOf('?');
  const rawPath = question === -1 ? target : target.slice(0, question);
  const rawQuery = question === -1 ? '' : target.slice(question + 1);
  if (rawPath.includes('\\')) return 'the path holds a backslash';
  for (const segment of rawPath.split('/')) {
    const decoded = decodeFully(segment);
    if (decoded === null) return 'the path holds a malformed percent-encoding';
    if (decoded === '.' || decoded === '..') return 'the path holds a dot segment';
    if (decoded.includes('/') || decoded.includes('\\'))
      return 'the path holds an encoded slash or backslash';
    if (hasControlCharacter(decoded)) return 'the path holds a control character';
  }
  // Query values are decoded once, as the query parser does.
  let query = rawQuery;
  try {
    query = decodeURIComponent(rawQuery.replace(/\+/g, ' '));
  } catch {
    // left as it is: the parser keeps malformed escapes as text, and raw controls never get here
  }
  // A mapping may well be JSON over several lines; only a NUL is never a value.
  if (query.includes('\u0000')) return 'the query holds a NUL character';
  return null;
}

/**
 * The first thing every request meets: a method the API has and a target that is safe to route.
 * Before authentication and body parsing, so a refused request costs nothing.
 */
export function refuseUnsafeTargets(request: Request, response: Response, next: NextFunction): void {
  const refuse = (code: string, status: number, detail: string, errors?: ProblemFieldError[]) => {
    const body = problem(code, detail, errors, status);
    response.status(status).type('application/problem+json').send(JSON.stringify(body));
  };
  if (!METHODS.has(request.method)) {
    const known = methodsOf(request.path);
    response.setHeader('Allow', (known.length ? known : [...METHODS]).join(', '));
    refuse('not_found', 405, `the API answers no ${request.method} requests`);
    return;
  }
  const reason = unsafeTargetReason(request.url);
  if (reason) {
    refuse('validation_failed', 400, reason, [{ field: 'path', message: reason }]);
    return;
  }
  // A path the API has, with a method it does not answer there: 405, saying which it does.
  const allowed = methodsOf(request.path);
  if (allowed.length > 0 && !allowed.includes(request.method)) {
    response.setHeader('Allow', allowed.join(', '));
    refuse('not_found', 405, `${request.method} is not allowed here; allowed: ${allowed.join(', ')}`);
    return;
  }
  next();
}
