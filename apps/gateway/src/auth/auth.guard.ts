import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiError } from '@clientbook/platform';
import { ApiKeys } from '../api-keys/api-keys.repository';
import { OPERATOR_KEY_DIGEST } from '../gateway-config';
import { digestKey, sameDigest } from '../operator/operator-key';
import { ACCESS_KEY, AccessRule } from './access';
import type { AuthenticatedRequest, Principal } from './principal';

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
    @Inject(OPERATOR_KEY_DIGEST) private readonly operatorDigest: Buffer,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const rule =
      this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_KEY, [
        context.getHandler(),
        context.getClass(),
      ]) ?? 'tenant';
    if (rule === 'public') return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const principal = await this.authenticate(request);
    request.principal = principal;
    if (!allowed(rule, principal, request.method)) {
      throw new ApiError('forbidden', 'this key may not do that');
    }
    return true;
  }

  private async authenticate(request: AuthenticatedRequest): Promise<Principal> {
    const key = bearerKey(request);
    if (!key) throw new ApiError('unauthorized', 'send an API key: Authorization: Bearer <key>');
    if (sameDigest(digestKey(key), this.operatorDigest)) return { kind: 'operator', id: 'operator' };
    const record = await this.keys.find(key);
    if (!record) throw new ApiError('unauthorized', 'unknown or revoked API key');
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
