import { isUtf8 } from 'node:buffer';
import type { NextFunction, Request, Response } from 'express';
import { ApiError, ProblemFieldError } from './problem-details.filter';

/** Whether a text holds a control character (C0 or DEL): never part of an id or a path. */
export function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

/** How deeply JSON bodies may nest (API.md "Conventions"). */
export const MAX_JSON_DEPTH = 100;

// Keys that name the prototype machinery of JavaScript objects: never data.
const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

const fieldName = (parent: string, key: string | number): string =>
  typeof key === 'number' ? `${parent}[${key}]` : parent ? `${parent}.${key}` : key;

/** A field path of sane length, even for a hostile depth. */
const shortened = (field: string): string => (field.length > 200 ? `${field.slice(0, 200)}…` : field);

/**
 * What is wrong with a parsed JSON value as a request body, or null: nested deeper than
 * MAX_JSON_DEPTH, a key `__proto__`/`constructor`/`prototype`, or a NUL character in a string or
 * key (the store cannot hold one). Iterative, so no depth can overflow the stack.
 */
export function hostileJsonProblem(value: unknown): ProblemFieldError | null {
  const stack: { value: unknown; field: string; depth: number }[] = [{ value, field: '', depth: 0 }];
  for (let next = stack.pop(); next; next = stack.pop()) {
    const { value: current, field, depth } = next;
    if (typeof current === 'string') {
      if (current.includes('\u0000'))
        return { field: shortened(field || 'body'), message: 'must not hold a NUL character' };
      continue;
    }
    if (typeof current !== 'object' || current === null) continue;
    if (depth >= MAX_JSON_DEPTH)
      return { field: shortened(field || 'body'), message: `nests deeper than ${MAX_JSON_DEPTH} levels` };
    if (Array.isArray(current)) {
      current.forEach((item, index) =>
        stack.push({ value: item, field: fieldName(field, index), depth: depth + 1 }),
      );
      continue;
    }
    for (const key of Object.keys(current)) {
      if (FORBIDDEN_KEYS.has(key))
        return { field: fieldName(field, key), message: 'is not a field this API has' };
      if (key.includes('\u0000'))
        return { field: shortened(field || 'body'), message: 'a key holds a NUL character' };
      stack.push({
        value: (current as Record<string, unknown>)[key],
        field: fieldName(field, key),
        depth: depth + 1,
      });
    }
  }
  return null;
}

const INVALID_UTF8 = Symbol('invalid UTF-8');

/**
 * The JSON parser's `verify`: marks a body declared UTF-8 (or not declared) whose bytes are not
 * UTF-8, which the parser would read with U+FFFD in place of each bad byte, changing names
 * silently. Marked, not thrown: the parser would answer a thrown error as 403.
 */
export function markInvalidUtf8(request: object, _response: unknown, bytes: Buffer, encoding: string): void {
  if (/^utf-?8$/i.test(encoding || 'utf-8') && !isUtf8(bytes))
    (request as Record<symbol, boolean>)[INVALID_UTF8] = true;
}

/** Express middleware after a JSON body parser: a hostile body is a 400 naming the field. */
export function refuseHostileJson(request: Request, _response: Response, next: NextFunction): void {
  if ((request as unknown as Record<symbol, boolean>)[INVALID_UTF8]) {
    const found = { field: 'body', message: 'is not valid UTF-8 (send JSON as UTF-8)' };
    return next(new ApiError('validation_failed', `${found.field}: ${found.message}`, [found]));
  }
  const found =
    request.body === undefined || Buffer.isBuffer(request.body) ? null : hostileJsonProblem(request.body);
  if (!found) return next();
  next(new ApiError('validation_failed', `${found.field}: ${found.message}`, [found]));
}
