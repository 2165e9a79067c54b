export type TransientRetryOptions = {
  /** Whether an error is worth waiting out (the database does not answer just now). */
  isTransient(error: unknown): boolean;
  /** Called before each wait (a Kafka consumer's heartbeat keeps its partitions meanwhile). */
  beforeWait?: () => Promise<void> | void;
  /** Called once, at the first transient error of a call. */
  onFirstWait?: (error: unknown) => void;
  /** How long to keep trying before the last error is thrown after all. */
  giveUpAfterMs: number;
  firstDelayMs?: number;
  maxDelayMs?: number;
  /** Test hooks. */
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
};

const sleepFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs `work` until it succeeds, waiting out transient errors with a doubling delay (bounded):
 * a projection whose database is down for a few seconds resumes where it was, instead of failing
 * the message back to Kafka, whose consumer then crashes, rejoins its group and rereads. Any
 * other error, and a transient one that outlasts `giveUpAfterMs`, is thrown at once.
 */
export async function retryTransient<T>(work: () => Promise<T>, options: TransientRetryOptions): Promise<T> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? sleepFor;
  const maxDelay = options.maxDelayMs ?? 2_000;
  const started = now();
  let delay = options.firstDelayMs ?? 100;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await work();
    } catch (error) {
      if (!options.isTransient(error) || now() - started >= options.giveUpAfterMs) throw error;
      if (attempt === 1) options.onFirstWait?.(error);
      await options.beforeWait?.();
      await sleep(delay);
      delay = Math.min(delay * 2, maxDelay);
    }
  }
}
