import { ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import type { Principal } from './principal';

/** Limits requests per API key across all routes (per address for requests without one), after authentication. */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  protected override async getTracker(request: Record<string, unknown>): Promise<string> {
    const principal = request['principal'] as Principal | undefined;
    return principal ? `${principal.kind}:${principal.id}` : `ip:${String(request['ip'])}`;
  }

  // One budget per key, not one per route.
  protected override generateKey(_context: ExecutionContext, tracker: string, name: string): string {
    return `${name}:${tracker}`;
  }
}
