import iconv from 'iconv-lite';
import { EventEnvelope, EVENTS, Topics } from '@clientbook/contracts';
import { ProjectionRunner } from '@clientbook/event-store';
import { eventually, testInfra, uniqueName } from '@clientbook/testing';
import { Kafka, logLevel } from 'kafkajs';
import { camtStatement } from './camt-statements';
import { runImport, startSystem, System, Tenant } from './system';

/** An entry of a statement, with what real banks put in one (and sometimes leave out). */
function entry(options: {
  ref: string;
  amount: string;
  direction?: 'CRDT' | 'DBIT';
  date?: string;
  name?: string;
  iban?: string;
  orgId?: string;
  addressLine?: string;
  remittance?: string;
}): string {
  const role = options.direction === 'DBIT' ? 'Cdtr' : 'Dbtr';
  const party =
    (options.name ? `<Nm>${options.name}</Nm>` : '') +
    (options.addressLine ? `<PstlAdr><AdrLine>${options.addressLine}</AdrLine></PstlAdr>` : '') +
    (options.orgId ? `<Id><OrgId><Othr><Id>${options.orgId}</Id></Othr></OrgId></Id>` : '');
  const account = options.iban ? `<${role}Acct><Id><IBAN>${options.iban}</IBAN></Id></${role}Acct>` : '';
  return (
    `<Ntry><Amt Ccy="EUR">${options.amount}</Amt><CdtDbtInd>${options.direction ?? 'CRDT'}</CdtDbtInd>` +
    `<BookgDt><Dt>${options.date ?? '2026-11-10'}</Dt></BookgDt><AcctSvcrRef>${options.ref}</AcctSvcrRef>` +
    `<NtryDtls><TxDtls><RltdPties><${role}>${party}</${role}>${account}</RltdPties>` +
    (options.remittance ? `<RmtInf><Ustrd>${options.remittance}</Ustrd></RmtInf>` : '') +
    `</TxDtls></NtryDtls></Ntry>`
  );
}

// API.md "Imports": which lines are the same line, what a line carries, what each one publishes.
describe('bank statement lines', () => {
  let system: System;
  let tenant: Tenant;
  let kafka: Kafka;
  const published: EventEnvelope[] = [];
  let runner: ProjectionRunner;

  beforeAll(async () => {
    system = await startSystem();
    tenant = await system.createTenant({ name: 'UAB Buhalterija', code: '300000080' });
    // A consumer of the imports topic, as an accounting pipeline would read it.
    kafka = new Kafka({
      clientId: 'imports-reader',
      brokers: testInfra().kafkaBrokers,
      logLevel: logLevel.NOTHING,
    });
    runner = new ProjectionRunner(
      kafka,
      { name: 'accounting', apply: async (event) => void published.push(event) },
      {
        groupId: uniqueName('accounting'),
        topics: [`${system.databasePrefix}.${Topics.imports}`],
        registry: EVENTS,
      },
    );
    await runner.start();
  }, 60_000);

  afterAll(async () => {
    await runner?.stop();
    await system?.close();
  });

  const importXml = (xml: string | Buffer) =>
    runImport(tenant.admin, '/v1/imports/bank-statements', {
      raw: xml,
      headers: { 'content-type': 'application/xml' },
    });

  it('imports every payment of a ref the bank reused, and each once only', async () => {
    // As in ING's and PostFinance's samples: one AcctSvcrRef, different payments.
    const xml = camtStatement('REUSE-1', [
      entry({ ref: 'SHARED-REF', amount: '1537.00', name: 'UAB Pirmas Mokėtojas' }),
      entry({ ref: 'SHARED-REF', amount: '1692.22', name: 'UAB Pirmas Mokėtojas' }),
      entry({ ref: 'SHARED-REF', amount: '50.00', name: 'UAB Antras Mokėtojas' }),
      // The very same payment twice in one file: two payments (the k-th of a file is the k-th of another).
      entry({ ref: 'TWICE', amount: '10.00', name: 'Ona Kazlauskienė' }),
      entry({ ref: 'TWICE', amount: '10.00', name: 'Ona Kazlauskienė' }),
    ]);
    const first = await importXml(xml);
    expect(first.lines.map((l: any) => [l.ref, l.amount, l.outcome])).toEqual([
      ['SHARED-REF', '1537.00', 'created'],
      ['SHARED-REF', '1692.22', 'matched'],
      ['SHARED-REF', '50.00', 'created'],
      ['TWICE', '10.00', 'created'],
      ['TWICE', '10.00', 'matched'],
    ]);
    const history = (await tenant.admin.get(`/v1/clients/${first.lines[0].clientId}/history`)).body.items;
    expect(history.filter((e: any) => e.type === 'OperationRecorded')).toHaveLength(2);

    const again = await importXml(xml);
    expect(again.totals).toEqual({ lines: 5, matched: 0, created: 0, skipped: 5, failed: 0 });
    expect(again.lines.every((l: any) => l.error?.code === 'already_imported')).toBe(true);
  }, 60_000);

  it('does not keep a failed line as imported: the fixed statement imports it', async () => {
    // A foreign party whose id is longer than a card's code may be: the clients service refuses it.
    const line = (orgId: string) =>
      camtStatement('FIX-1', [
        entry({
          ref: 'FIX-A',
          amount: '75.00',
          name: 'Nordic Timber GmbH',
          iban: 'DE89370400440532013000',
          orgId,
        }),
      ]);
    const broken = await importXml(line('X'.repeat(40)));
    expect(broken.lines[0]).toMatchObject({ outcome: 'failed', error: { code: 'validation_failed' } });
    const fixed = await importXml(line('HRB 12345'));
    expect(fixed.lines[0]).toMatchObject({ outcome: 'created', error: null });
    expect((await tenant.admin.get(`/v1/clients/${fixed.lines[0].clientId}`)).body.code).toBe('HRB 12345');
  }, 60_000);

  it('shows each line’s amount, currency, direction, booking date and remittance', async () => {
    const job = await importXml(
      camtStatement('DETAILS-1', [
        entry({ ref: 'D-1', amount: '120.50', name: 'Jonas Petraitis', remittance: 'Sąskaita 2026-11' }),
        entry({ ref: 'D-2', amount: '8.00', direction: 'DBIT', date: '2026-11-12', name: 'UAB Tiekėjas' }),
      ]),
    );
    expect(
      job.lines.map(({ amount, currency, direction, bookingDate, remittance }: any) => ({
        amount,
        currency,
        direction,
        bookingDate,
        remittance,
      })),
    ).toEqual([
      {
        amount: '120.50',
        currency: 'EUR',
        direction: 'in',
        bookingDate: '2026-11-10',
        remittance: 'Sąskaita 2026-11',
      },
      { amount: '8.00', currency: 'EUR', direction: 'out', bookingDate: '2026-11-12', remittance: null },
    ]);

    // Each line is an event on the imports topic, and the job's end too, in order.
    const ofJob = () => published.filter((e) => e.aggregateId === job.id);
    await eventually(() =>
      expect(ofJob().map((e) => e.type)).toEqual([
        'StatementLineMatched',
        'StatementLineMatched',
        'ImportCompleted',
      ]),
    );
    const [first, , completed] = ofJob();
    expect(first).toMatchObject({
      aggregateType: 'Import',
      aggregateVersion: 1,
      tenantId: tenant.tenantId,
      data: {
        importId: job.id,
        line: 1,
        ref: 'D-1',
        clientId: job.lines[0].clientId,
        outcome: 'created',
        amount: '120.50',
        currency: 'EUR',
        direction: 'in',
        bookingDate: '2026-11-10',
        remittance: 'Sąskaita 2026-11',
      },
    });
    expect(completed.data).toMatchObject({ status: 'completed', totals: { lines: 2, created: 2 } });
  }, 60_000);

  it('names a counterparty without a name after what is there, keeps its address and claims no residency', async () => {
    const job = await importXml(
      camtStatement('NONAME-1', [
        entry({
          ref: 'NN-1',
          amount: '40.00',
          orgId: '22334455',
          addressLine: '2099 Gateway Place, Ste 140',
        }),
      ]),
    );
    expect(job.lines[0]).toMatchObject({ outcome: 'created', name: null });
    expect(job.lines[0].warnings).toEqual([
      expect.stringContaining('no counterparty name'),
      expect.stringContaining('residency is set to foreign'),
      expect.stringContaining('kept in the notes'),
    ]);
    expect((await tenant.admin.get(`/v1/clients/${job.lines[0].clientId}`)).body).toMatchObject({
      kind: 'company',
      name: 'Unnamed counterparty (org. id 22334455)',
      code: '22334455',
      residency: 'foreign',
      notes: 'Address on the bank statement: 2099 Gateway Place, Ste 140',
    });
  }, 60_000);

  it('publishes the lines it did not import as skipped, with why', async () => {
    const job = await importXml(
      camtStatement('SKIP-1', [entry({ ref: 'D-1', amount: '1.00', remittance: 'bank fee' })]),
    );
    expect(job.lines[0]).toMatchObject({ outcome: 'skipped', error: { code: 'no_counterparty' } });
    await eventually(() =>
      expect(
        published.find((e) => e.aggregateId === job.id && e.type === 'StatementLineSkipped')?.data,
      ).toMatchObject({
        line: 1,
        outcome: 'skipped',
        error: { code: 'no_counterparty' },
      }),
    );
  }, 60_000);

  it.each([
    ['windows-1257, as declared', 'windows-1257', '<?xml version="1.0" encoding="windows-1257"?>'],
    ['UTF-16 with its BOM', 'utf-16', '<?xml version="1.0" encoding="UTF-16"?>'],
  ])(
    'decodes a statement in %s',
    async (_name, encoding, declaration) => {
      const xml = camtStatement(`ENC-${encoding}`, [
        entry({ ref: `E-${encoding}`, amount: '3.00', name: 'UAB Šilumos Ūkis' }),
      ]).replace('<?xml version="1.0"?>', declaration);
      const bytes =
        encoding === 'utf-16'
          ? Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(xml, 'utf-16le')])
          : iconv.encode(xml, encoding);
      const job = await importXml(bytes);
      expect(job.status).toBe('completed');
      expect(job.lines[0].name).toBe('UAB Šilumos Ūkis');
    },
    60_000,
  );

  it('fails a statement with a NUL byte as unparseable_file, not a 500', async () => {
    const job = await importXml(
      Buffer.from(camtStatement('NUL-1', [entry({ ref: 'N', amount: '1.00', name: 'U\u0000AB' })])),
    );
    expect(job).toMatchObject({ status: 'failed', error: { code: 'unparseable_file' } });
  }, 60_000);
});
