import { eventually } from '@clientbook/testing';
import { camtStatement, creditEntry, numberedIban } from './camt-statements';
import { startSystem, System, Tenant } from './system';

const LINES = 1200;
const COUNTERPARTIES = 150;

/** A statement in which every counterparty pays several times, spread over the whole file. */
function statement(): string {
  const entries = Array.from({ length: LINES }, (_, i) => {
    const c = (i * 7) % COUNTERPARTIES;
    // Half the counterparties come with an account, half by name only.
    const payer = { name: `UAB Mokėtojas ${c}`, iban: c % 2 === 0 ? numberedIban(c) : undefined };
    return creditEntry(`KILL-${i}`, `${i + 1}.00`, payer);
  });
  return camtStatement('KILL', entries, '08');
}

// Issue 5: "a job survives a restart of any service ... test by killing the process mid-job".
describe('an import whose process is killed mid-job', () => {
  let system: System;
  let tenant: Tenant;

  beforeAll(async () => {
    system = await startSystem({ importMatching: 'child-process' });
    tenant = await system.createTenant({ name: 'UAB Nenutrūkstamas', code: '300000021' });
  }, 120_000);

  afterAll(async () => {
    await system?.close();
  });

  it('resumes after a restart and completes: no line lost, none applied twice, one client per counterparty', async () => {
    const api = tenant.admin;
    const importMatching = system.importProcess;
    if (!importMatching) throw new Error('import-matching must run as its own process here');
    const posted = await api.request('POST', '/v1/imports/bank-statements', {
      raw: statement(),
      headers: { 'content-type': 'application/xml' },
    });
    expect(posted.status).toBe(202);
    const path = `/v1/imports/${posted.body.importId}`;

    // Killed once some lines are done and most are not.
    const before = await eventually(
      async () => {
        const job = (await api.get(path)).body;
        if (job.lines.length < 200) throw new Error(`${job.lines.length} lines so far`);
        return job;
      },
      { timeoutMs: 60_000, intervalMs: 20 },
    );
    await importMatching.kill();
    expect(before.status).toBe('running');
    expect(before.lines.length).toBeLessThan(LINES);
    // Meanwhile the gateway answers at once, with a problem saying the service does not answer.
    const meanwhile = await api.get(path);
    expect(meanwhile.status).toBe(503);
    expect(meanwhile.headers.get('retry-after')).toBe('5');
    expect(meanwhile.body).toMatchObject({
      code: 'unavailable',
      detail: expect.stringContaining('import-matching'),
    });

    await importMatching.start();
    const job = await eventually(
      async () => {
        const current = (await api.get(path)).body;
        if (current.status !== 'completed') throw new Error(`still ${current.status}`);
        return current;
      },
      { timeoutMs: 120_000, intervalMs: 500 },
    );
    expect(job.totals).toMatchObject({ lines: LINES, skipped: 0, failed: 0 });
    expect(job.totals.created).toBe(COUNTERPARTIES);
    expect(job.lines.map((l: any) => l.ref)).toEqual(Array.from({ length: LINES }, (_, i) => `KILL-${i}`));

    // One client per counterparty, and on each exactly the operations of its lines.
    const byClient = new Map<string, string[]>();
    for (const line of job.lines)
      byClient.set(line.clientId, [...(byClient.get(line.clientId) ?? []), line.ref]);
    expect(byClient.size).toBe(COUNTERPARTIES);
    for (const [clientId, refs] of byClient) {
      const history = (await api.get(`/v1/clients/${clientId}/history?limit=500`)).body.items as any[];
      const recorded = history.filter((e) => e.type === 'OperationRecorded').map((e) => e.data.ref);
      expect(recorded.sort()).toEqual(refs.sort());
    }
    await eventually(async () =>
      expect((await api.get('/v1/clients?limit=500')).body.items).toHaveLength(COUNTERPARTIES + 1),
    );
  }, 240_000);
});
