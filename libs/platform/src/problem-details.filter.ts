import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { helpFor } from './api-error-codes';
import {
  MongoNetworkError,
  MongoNotConnectedError,
  MongoServerError,
  MongoServerSelectionError,
  MongoTopologyClosedError,
} from 'mongodb';

export type ProblemFieldError = { field: string; message: string; code?: string };

/** An error code of the API and the status it answers with (API.md "Error codes"). */
export type ProblemCodes = Readonly<Record<string, number>>;

/**
 * The codes every service may answer with. A service adds its own (the clients service's
 * `client_deleted`, import-matching's `unparseable_file`…) through `ServiceCoreModule`.
 */
export const COMMON_PROBLEM_CODES: ProblemCodes = {
  validation_failed: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  version_conflict: 412,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
};

/** The DI token of a service's own problem codes. */
export const PROBLEM_CODES = Symbol('PROBLEM_CODES');

const TITLES: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  410: 'Gone',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/**
 * An error that carries one of the API's codes, and its status when the code is not the
 * service's own (an answer passed on from another service). Domain errors have the same shape
 * without a status: their service maps their codes.
 */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly errors: readonly ProblemFieldError[] = [],
    readonly status?: number,
  ) {
    super(message);
  }
}

type Coded = { code: string; message: string; errors?: readonly ProblemFieldError[]; status?: unknown };

/** The status of a coded error: its own, else its service's code, else a common one; null when none. */
function statusOf(error: unknown, codes: ProblemCodes): number | null {
  if (!(error instanceof Error)) return null;
  const { code, status } = error as Partial<Coded>;
  if (typeof code !== 'string') return null;
  if (typeof status === 'number' && status >= 400 && status <= 599) return status;
  return (
    (Object.hasOwn(codes, code) ? codes[code] : null) ??
    (Object.hasOwn(COMMON_PROBLEM_CODES, code) ? COMMON_PROBLEM_CODES[code] : null)
  );
}

const HTTP_CODES: Readonly<Record<number, string>> = {
  400: 'validation_failed',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'not_found',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
};

export type Problem = {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  /** The knowledge base's article on this error: what it means and what to do (API.md). */
  help: string;
  errors?: readonly ProblemFieldError[];
};

export function problem(
  code: string,
  detail: string,
  errors?: readonly ProblemFieldError[],
  status = COMMON_PROBLEM_CODES[code] ?? 500,
): Problem {
  return {
    type: `https://clientbook.dev/problems/${code.replace(/_/g, '-')}`,
    title: TITLES[status] ?? 'Error',
    status,
    detail,
    code,
    help: helpFor(code),
    ...(errors && errors.length ? { errors } : {}),
  };
}

/**
 * Whether an error says the database could not be reached or could not do its part (MongoDB
 * unreachable or not selectable; FerretDB's InternalError when its PostgreSQL is down): the
 * request was not carried out and may be tried again.
 */
export function isStoreUnavailable(error: unknown): boolean {
  if (
    error instanceof MongoNetworkError ||
    error instanceof MongoServerSelectionError ||
    error instanceof MongoNotConnectedError ||
    error instanceof MongoTopologyClosedError
  )
    return true;
  return error instanceof MongoServerError && error.code === 1;
}

/**
 * Turns any error into the problem+json body the API promises, the service's own codes
 * included. Never leaks stacks or driver text.
 */
export function toProblem(error: unknown, codes: ProblemCodes = {}): Problem {
  const status = statusOf(error, codes);
  if (status !== null) {
    const coded = error as Coded;
    return problem(coded.code, coded.message, coded.errors, status);
  }
  if (isStoreUnavailable(error))
    return problem(
      'unavailable',
      'the database does not answer just now; the request was not completed: try again shortly',
    );
  // body-parser errors: too large, malformed JSON, unsupported charset.
  const bodyError = error as { type?: string; status?: number };
  if (bodyError?.type === 'entity.too.large')
    return problem('payload_too_large', 'the request body is larger than 10 MiB');
  if (bodyError?.type === 'entity.parse.failed')
    return problem('validation_failed', 'the request body is not valid JSON');
  if (bodyError?.type === 'charset.unsupported' || bodyError?.type === 'encoding.unsupported') {
    return problem('unsupported_media_type', 'unsupported charset or encoding');
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const response = error.getResponse();
    const detail =
      typeof response === 'object' &&
      response &&
      'message' in response &&
      typeof response.message === 'string'
        ? response.message
        : error.message;
    return problem(
      HTTP_CODES[status] ?? (status >= 500 ? 'internal' : 'validation_failed'),
      detail,
      undefined,
      status,
    );
  }
  return problem('internal', 'something went wrong on our side; the request was not completed');
}

/** Seconds a caller should wait before retrying when a service behind the gateway does not answer. */
const UNAVAILABLE_RETRY_AFTER_S = 5;

/** Writes a problem+json answer (with `Retry-After` when the problem is `unavailable`). */
export function sendProblem(response: Response, body: Problem): void {
  if (body.code === 'unavailable' && !response.getHeader('Retry-After'))
    response.setHeader('Retry-After', String(UNAVAILABLE_RETRY_AFTER_S));
  response.status(body.status).type('application/problem+json').send(JSON.stringify(body));
}

@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemDetailsFilter');

  constructor(private readonly codes: ProblemCodes = {}) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const body = toProblem(error, this.codes);
    if (body.status >= 500)
      this.logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    if (response.headersSent) return;
    sendProblem(response, body);
  }
}

/**
 * What one item of a bulk change answers when it fails with something its service did not decide
 * (the store away, a bug): its own `unavailable` or `internal`, logged, while the other items go on.
 */
export function unexpectedItemError(
  logger: Logger,
  id: string,
  error: unknown,
): { id: string; code: 'unavailable' | 'internal'; message: string } {
  if (isStoreUnavailable(error))
    return { id, code: 'unavailable', message: 'the store did not answer; try this one again shortly' };
  logger.error({ id, error: error instanceof Error ? error.stack : String(error) }, 'bulk item failed');
  return { id, code: 'internal', message: 'this one could not be changed; try it again' };
}
