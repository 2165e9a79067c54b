/**
 * How a write is tried again when another write of the same stream got in first: read the
 * stream again and decide again, a few times, after short randomized pauses (for p-retry).
 */
export const AFTER_CONCURRENT_WRITES = {
  retries: 4,
  minTimeout: 5,
  maxTimeout: 100,
  factor: 2,
  randomize: true,
} as const;

/**
 * How a consumer waits for its database to answer again: pauses from 0.1 s doubling to 2 s, for
 * a minute at most (for p-retry; with `retries: Infinity`, `maxRetryTime` bounds it).
 */
export const WHILE_STORE_IS_AWAY = {
  retries: Number.POSITIVE_INFINITY,
  minTimeout: 100,
  maxTimeout: 2_000,
  factor: 2,
  maxRetryTime: 60_000,
} as const;
