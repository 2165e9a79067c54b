import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import type { Actor } from '@clientbook/contracts';
import { correlationIdOf } from './correlation';
import { ApiError } from './problem-details.filter';

/** Headers by which the gateway tells a service who is calling; services listen on the internal network only. */
export const CALLER_HEADERS = {
  tenant: 'x-clientbook-tenant',
  actorKind: 'x-clientbook-actor-kind',
  actorId: 'x-clientbook-actor-id',
  actorRole: 'x-clientbook-actor-role',
} as const;

export type Caller = Readonly<{ tenantId: string; actor: Actor; correlationId: string }>;

const ROLES = new Set(['admin', 'user', 'auditor']);
const KINDS = new Set(['api_key', 'operator', 'system']);

export function callerOf(request: Request): Caller {
  const header = (name: string) => {
    const value = request.headers[name];
    return typeof value === 'string' && value ? value : null;
  };
  const tenantId = header(CALLER_HEADERS.tenant);
  const actorId = header(CALLER_HEADERS.actorId);
  const kind = header(CALLER_HEADERS.actorKind) ?? 'api_key';
  const role = header(CALLER_HEADERS.actorRole);
  if (!tenantId || !actorId || !KINDS.has(kind))
    throw new ApiError('unauthorized', 'the request carries no caller');
  return {
    tenantId,
    actor: {
      kind: kind as Actor['kind'],
      id: actorId,
      ...(role && ROLES.has(role) ? { role: role as Actor['role'] } : {}),
    },
    // pino-http set `id` from the same header (or a new id) when the request came in.
    correlationId: typeof request.id === 'string' ? request.id : correlationIdOf(request),
  };
}

/** The tenant, actor and correlation id the gateway authenticated. */
export const CurrentCaller = createParamDecorator((_data: unknown, context: ExecutionContext): Caller =>
  callerOf(context.switchToHttp().getRequest<Request>()),
);
