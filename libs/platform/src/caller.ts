import { CanActivate, createParamDecorator, ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import type { Actor } from '@clientbook/contracts';
import { InternalCall, verifyCallerHeaders } from './internal-calls';
import { hasControlCharacter } from './json-safety';
import { ApiError } from './problem-details.filter';

export { CALLER_HEADERS } from './internal-calls';

export type Caller = Readonly<{ tenantId: string; actor: Actor; correlationId: string }>;

/**
 * Who may call a service route, checked by the service itself as well as by the gateway:
 * - `tenant` (the default): an API key of a tenant; every role reads, `admin` and `user` write;
 * - `admin`: an admin key of a tenant;
 * - `services`: the gateway or another service acting for itself (`/internal` routes), never a key;
 * - `public`: whoever the gateway passes on, with or without a key (the help centre);
 * - `operator`: the operator key only;
 * - `key`: any key of a tenant, whatever its role;
 * - `anyone`: no signature needed (`/internal/health`).
 */
export type ServiceAccess = 'tenant' | 'admin' | 'services' | 'public' | 'operator' | 'key' | 'anyone';

const ACCESS = 'clientbook:service-access';
export const CallableBy = (access: ServiceAccess) => SetMetadata(ACCESS, access);

const READS = new Set(['GET', 'HEAD']);

type SignedRequest = Request & { caller?: Caller };

function allowed(access: ServiceAccess, actor: Actor, method: string): boolean {
  switch (access) {
    case 'anyone':
    case 'public':
      return true;
    case 'operator':
      return actor.kind === 'operator';
    case 'key':
      return actor.kind === 'api_key';
    case 'services':
      return actor.kind === 'system' || actor.kind === 'operator';
    case 'admin':
      return actor.kind === 'api_key' && actor.role === 'admin';
    case 'tenant':
      return (
        actor.kind === 'api_key' &&
        (actor.role === 'admin' || actor.role === 'user' || (actor.role === 'auditor' && READS.has(method)))
      );
    default: {
      const unknown: never = access;
      throw new Error(`unknown access ${String(unknown)}`);
    }
  }
}

/**
 * Every service route: the caller headers must carry a fresh signature of the shared secret
 * (so only the gateway and the other services can name a tenant), and the caller must be one the
 * route allows — the gateway checks roles too, this is the second lock.
 */
@Injectable()
export class ServiceAccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly secret: string,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const access =
      this.reflector.getAllAndOverride<ServiceAccess | undefined>(ACCESS, [
        context.getHandler(),
        context.getClass(),
      ]) ?? 'tenant';
    if (access === 'anyone') return true;
    const request = context.switchToHttp().getRequest<SignedRequest>();
    const verified = verifyCallerHeaders(this.secret, {
      method: request.method,
      target: request.originalUrl,
      headers: request.headers,
    });
    if (!verified.ok)
      throw new ApiError('unauthorized', `only the gateway may call this service: ${verified.reason}`);
    const call: InternalCall = verified.call;
    if (!call.tenantId || !call.actor.id) throw new ApiError('unauthorized', 'the request carries no caller');
    if (!allowed(access, call.actor, request.method.toUpperCase()))
      throw new ApiError('forbidden', 'this key may not do that');
    for (const [name, value] of Object.entries(request.params ?? {})) {
      // FerretDB cannot even store a NUL.
      if (typeof value === 'string' && hasControlCharacter(value))
        throw new ApiError('validation_failed', `${name} holds a control character`, [
          { field: name, message: 'must not hold control characters' },
        ]);
    }
    request.caller = {
      tenantId: call.tenantId,
      actor: call.actor,
      correlationId: typeof request.id === 'string' ? request.id : call.correlationId,
    };
    return true;
  }
}

export function callerOf(request: Request): Caller {
  const caller = (request as SignedRequest).caller;
  if (!caller) throw new ApiError('unauthorized', 'the request carries no caller');
  return caller;
}

/** The tenant, actor and correlation id the gateway authenticated and signed. */
export const CurrentCaller = createParamDecorator((_data: unknown, context: ExecutionContext): Caller =>
  callerOf(context.switchToHttp().getRequest<Request>()),
);
