import { Injectable } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import type { Principal } from './principal';

/** Limits requests per API key (per address for requests without one), after authentication. */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  protected override async getTracker(request: Record<string, unknown>): Promise<string> {
    const principal = request['principal'] as Principal | undefined;
    return principal ? `${principal.kind}:${principal.id}` : `ip:${String(request['ip'])}`;
  }
}
