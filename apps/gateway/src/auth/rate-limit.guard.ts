import { ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGuard, ThrottlerLimitDetail } from '@nestjs/throttler';
import type { Response } from 'express';
import { ApiError } from '@clientbook/platform';
import type { Principal } from './principal';

/** The throttlers (app.module): one budget per key (or address), one per tenant across its keys. */
export const THROTTLERS = { key: 'per-key', tenant: 'per-tenant' } as const;

/** Limits requests per API key and per tenant across all routes (per address without a key), after authentication. */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  protected override async getTracker(request: Record<string, unknown>): Promise<string> {
    const principal = request['principal'] as Principal | undefined;
    return principal ? `${principal.kind}:${principal.id}` : `ip:${String(request['ip'])}`;
  }

  // One budget per key (not per route), and one per tenant whichever of its keys is used.
  protected override generateKey(context: ExecutionContext, tracker: string, name: string): string {
    const principal = context.switchToHttp().getRequest<{ principal?: Principal }>().principal;
    if (name === THROTTLERS.tenant && principal?.kind === 'api_key')
      return `${name}:tenant:${principal.tenantId}`;
    return `${name}:${tracker}`;
  }

  // One plain Retry-After whichever budget ran out (the throttler would name it per budget).
  protected override async throwThrottlingException(
    context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    const wait = Math.max(1, detail.timeToBlockExpire);
    context.switchToHttp().getResponse<Response>().setHeader('Retry-After', String(wait));
    const whose = detail.key.startsWith(`${THROTTLERS.tenant}:tenant:`) ? 'this tenant' : 'this key';
    throw new ApiError(
      'rate_limited',
      `${whose} made more than ${detail.limit} requests in a minute; retry in ${wait} s`,
    );
  }
}
