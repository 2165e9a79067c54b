import { Inject, Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { GATEWAY_CONFIG, GatewayConfig } from '../gateway-config';

const WINDOW_MS = 60_000;

type Window = { failures: number; endsAt: number };

/**
 * Counts failed authentications (unknown or malformed keys) per client address in one-minute
 * windows. An address over its budget is refused before any key lookup until its window ends,
 * so guessing keys costs the guesser time and the database nothing.
 */
@Injectable()
export class AuthFailures {
  private readonly windows = new LRUCache<string, Window>({ max: 100_000 });

  constructor(@Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig) {}

  /** Seconds until the address may try again, or 0 when it may try now. */
  blockedFor(address: string, now = Date.now()): number {
    const window = this.windows.get(address);
    if (!window || window.endsAt <= now || window.failures < this.config.authFailuresPerMinute) return 0;
    return Math.ceil((window.endsAt - now) / 1000);
  }

  record(address: string, now = Date.now()): void {
    const window = this.windows.get(address);
    if (window && window.endsAt > now) window.failures += 1;
    else this.windows.set(address, { failures: 1, endsAt: now + WINDOW_MS });
  }
}
