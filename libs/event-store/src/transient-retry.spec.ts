import { retryTransient } from './transient-retry';

class Unavailable extends Error {}

/** A clock the waits move forward, so no test sleeps. */
function fakeTime() {
  let clock = 0;
  const waits: number[] = [];
  return {
    waits,
    now: () => clock,
    sleep: async (ms: number) => {
      waits.push(ms);
      clock += ms;
    },
  };
}

describe('retryTransient', () => {
  it('waits out a database that is down for a while and returns what the work returned', async () => {
    const time = fakeTime();
    let calls = 0;
    let heartbeats = 0;
    const result = await retryTransient(
      async () => {
        calls += 1;
        if (calls < 5) throw new Unavailable('down');
        return 'applied';
      },
      {
        isTransient: (e) => e instanceof Unavailable,
        beforeWait: () => {
          heartbeats += 1;
        },
        giveUpAfterMs: 60_000,
        ...time,
      },
    );
    expect(result).toBe('applied');
    expect(calls).toBe(5);
    expect(heartbeats).toBe(4);
    expect(time.waits).toEqual([100, 200, 400, 800]);
  });

  it('caps the delay between attempts', async () => {
    const time = fakeTime();
    let calls = 0;
    await retryTransient(
      async () => {
        calls += 1;
        if (calls < 8) throw new Unavailable('down');
      },
      { isTransient: () => true, giveUpAfterMs: 60_000, maxDelayMs: 1_000, ...time },
    );
    expect(time.waits).toEqual([100, 200, 400, 800, 1_000, 1_000, 1_000]);
  });

  it('throws any other error at once, without waiting', async () => {
    const time = fakeTime();
    const bug = new TypeError('a bug');
    await expect(
      retryTransient(
        async () => {
          throw bug;
        },
        { isTransient: (e) => e instanceof Unavailable, giveUpAfterMs: 60_000, ...time },
      ),
    ).rejects.toBe(bug);
    expect(time.waits).toEqual([]);
  });

  it('gives up with the last error once the database has been down longer than it waits', async () => {
    const time = fakeTime();
    let firstWaits = 0;
    await expect(
      retryTransient(
        async () => {
          throw new Unavailable(`down at ${time.now()}`);
        },
        {
          isTransient: () => true,
          onFirstWait: () => {
            firstWaits += 1;
          },
          giveUpAfterMs: 5_000,
          ...time,
        },
      ),
    ).rejects.toThrow(/^down at (5|6|7)\d{3}$/);
    expect(firstWaits).toBe(1);
    expect(time.now()).toBeGreaterThanOrEqual(5_000);
    expect(time.now()).toBeLessThan(5_000 + 2_000);
  });
});
