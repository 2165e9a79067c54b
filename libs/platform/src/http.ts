import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { json } from 'express';
import { ProblemDetailsFilter } from './problem-details.filter';
import { apiValidationPipe } from './validation';

/** Largest request body the API takes (API.md "Conventions"). */
export const BODY_LIMIT = '10mb';

/**
 * The HTTP conventions every service shares: JSON bodies up to 10 MiB, plain-string query values
 * (`q[$ne]=` stays a literal key, never an object), DTO validation, one problem+json filter.
 */
export function configureHttp(app: INestApplication): void {
  const express = app as NestExpressApplication;
  express.disable('x-powered-by');
  express.set('query parser', 'simple');
  express.use(json({ limit: BODY_LIMIT, type: ['application/json', 'application/*+json'] }));
  express.useGlobalFilters(new ProblemDetailsFilter());
  express.useGlobalPipes(apiValidationPipe());
}
