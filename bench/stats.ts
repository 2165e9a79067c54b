import pMap from 'p-map';

/** Percentile of already measured durations (nearest rank). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** Runs `task(i)` for i in [0, count) with at most `concurrency` at once; returns the wall time in ms. */
export async function runConcurrently(
  count: number,
  concurrency: number,
  task: (i: number) => Promise<void>,
): Promise<number> {
  const started = performance.now();
  await pMap(
    Array.from({ length: count }, (_, i) => i),
    task,
    { concurrency },
  );
  return performance.now() - started;
}

export const perSecond = (count: number, ms: number): number => Math.round((count / ms) * 1000);
export const round = (value: number, digits = 1): number => Number(value.toFixed(digits));
