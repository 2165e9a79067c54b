import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { json, NextFunction, Request, Response } from 'express';
import { markInvalidUtf8, refuseHostileJson } from './json-safety';
import { ProblemCodes, ProblemDetailsFilter, sendProblem, toProblem } from './problem-details.filter';
import { apiValidationPipe } from './validation';

/** Largest request body the API takes (API.md "Conventions"). */
export const BODY_LIMIT = '10mb';

/**
 * The HTTP conventions every service shares: JSON bodies up to 10 MiB, plain-string query values
 * (`q[$ne]=` stays a literal key, never an object), DTO validation, one problem+json filter.
 */
export function configureHttp(
  app: INestApplication,
  options: { jsonBodies?: boolean; problemCodes?: ProblemCodes } = {},
): void {
  const express = app as NestExpressApplication;
  express.disable('x-powered-by');
  express.set('query parser', 'simple');
  if (options.jsonBodies !== false) express.use(jsonBodies());
  express.useGlobalFilters(new ProblemDetailsFilter(options.problemCodes));
  express.useGlobalPipes(apiValidationPipe());
}

/** The JSON body parser every service uses: up to 10 MiB, then no hostile shape (json-safety.ts). */
export function jsonBodies() {
  return [
    json({ limit: BODY_LIMIT, type: ['application/json', 'application/*+json'], verify: markInvalidUtf8 }),
    refuseHostileJson,
  ];
}

/**
 * Errors raised by Express middleware (body too large, malformed JSON) never reach Nest's
 * filters; this last handler answers them as problem+json too. Install it after `app.init()`.
 */
export function installMiddlewareErrorHandler(app: INestApplication, problemCodes: ProblemCodes = {}): void {
  app.use((error: unknown, _request: Request, response: Response, next: NextFunction) => {
    if (response.headersSent) return next(error);
    sendProblem(response, toProblem(error, problemCodes));
  });
}
