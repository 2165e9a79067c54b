import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Response } from 'express';
import { ApiError } from '@clientbook/platform';
import { ApiKeys } from '../api-keys/api-keys.repository';
import { OPERATOR_KEY_DIGEST } from '../gateway-config';
import { digestKey, sameDigest } from '../operator/operator-key';
import { ACCESS_KEY, AccessRule } from './access';
import { AuthFailures } from './auth-failures';
import type { AuthenticatedRequest, Principal } from './principal';
import { resolveProxiedRoute } from './proxied-access';

const READS = new Set(['GET', 'HEAD']);

function bearerKey(request: AuthenticatedRequest): string | null {
  const header = request.headers.authorization;
  const match = typeof header === 'string' ? /^Bearer\s+(\S{1,200})$/i.exec(header.trim()) : null;
  return match ? match[1] : null;
}

/** Authenticates every request by its Bearer key, then applies the route's access rule. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly keys: ApiKeys,
    private readonly failures: AuthFailures,
    @Inject(OPERATOR_KEY_DIGEST) private readonly operatorDigest: Buffer,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    let rule =
      this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_KEY, [
        context.getHandler(),
        context.getClass(),
      ]) ?? 'tenant';
    if (rule === 'public') return true;
    const http = context.switchToHttp();
    const request = http.getRequest<AuthenticatedRequest>();
    if (rule === 'proxied') rule = resolveProxiedRoute(request, http.getResponse<Response>()).route.access;
    // A public route needs no key; one that is sent is checked (the operator reads drafts).
    if (rule === 'public' && request.headers.authorization === undefined) return true;
    const principal = await this.authenticate(request, http.getResponse<Response>());
    request.principal = principal;
    if (!allowed(rule, principal, request.method)) {
      throw new ApiError('forbidden', 'this key may not do that');
    }
    return true;
  }

  private async authenticate(request: AuthenticatedRequest, response: Response): Promise<Principal> {
    const header = request.headers.authorization;
    if (header === undefined)
      throw new ApiError('unauthorized', 'send an API key: Authorization: Bearer <key>');
    // Key guesses are throttled per address before anything is looked up.
    const address = request.ip ?? 'unknown';
    const wait = this.failures.blockedFor(address);
    if (wait > 0) {
      response.setHeader('Retry-After', String(wait));
      throw new ApiError(
        'rate_limited',
        `too many failed authentications from this address; retry in ${wait} s`,
      );
    }
    const key = bearerKey(request);
    if (key && sameDigest(digestKey(key), this.operatorDigest)) return { kind: 'operator', id: 'operator' };
    const record = key ? await this.keys.find(key) : null;
    if (!record) {
      this.failures.record(address);
      throw new ApiError(
        'unauthorized',
        key ? 'unknown or revoked API key' : 'send an API key: Authorization: Bearer <key>',
      );
    }
    return { kind: 'api_key', id: record.keyId, tenantId: record.tenantId, role: record.role };
  }
}

export function allowed(rule: AccessRule, principal: Principal, method: string): boolean {
  switch (rule) {
    case 'public':
      return true;
    case 'operator':
      return principal.kind === 'operator';
    case 'admin':
      return principal.kind === 'api_key' && principal.role === 'admin';
    case 'proxied':
      return false; // resolved to the route's own rule before this is asked
    case 'key':
      return principal.kind === 'api_key';
    case 'tenant':
      return (
        principal.kind === 'api_key' && (READS.has(method.toUpperCase()) || principal.role !== 'auditor')
      );
    default: {
      const unknownRule: never = rule;
      throw new Error(`unknown access rule ${String(unknownRule)}`);
    }
  }
}
