import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';

/** The schema every error answer has (RFC 9457 + `code`); the gateway puts it in the merged document. */
export const PROBLEM_SCHEMA_REF = '#/components/schemas/Problem';

// What each status means on this API's routes (API.md "Error codes").
const MEANING: Readonly<Record<number, string>> = {
  400: 'validation_failed: a field (or the path, or the query) is not valid; `errors` names it',
  401: 'unauthorized: no key, or an unknown or revoked one',
  403: 'forbidden: this key’s role may not do that',
  404: 'not_found: no such resource in this tenant',
  409: 'a conflict with the current state (see the route for its codes)',
  410: 'client_deleted: the client was deleted',
  412: 'version_conflict: the If-Match version is not the current one',
  413: 'payload_too_large: the body is over 10 MiB (or a file over its limits)',
  415: 'unsupported_media_type: the body is not of a type this route reads',
  429: 'rate_limited: too many requests; `Retry-After` says when to try again',
  500: 'internal: something went wrong on our side; the request was not completed',
  503: 'unavailable: a service or the database does not answer; `Retry-After` says when to try again',
};

/**
 * The error answers a route can give besides the ones every route can (the gateway adds 400,
 * 401, 403, 429, 500 and 503 to every operation): each as application/problem+json.
 */
export function ApiProblems(statuses: readonly number[], details: Readonly<Record<number, string>> = {}) {
  return applyDecorators(
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: details[status] ?? MEANING[status] ?? 'an error',
        content: { 'application/problem+json': { schema: { $ref: PROBLEM_SCHEMA_REF } } },
      }),
    ),
  );
}
