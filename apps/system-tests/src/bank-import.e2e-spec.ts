import * as fs from 'node:fs';
import * as path from 'node:path';
import { eventually } from '@clientbook/testing';
// The test stops an import where a killed process would, from inside import-matching.
import { ImportFaults } from '@clientbook/import-matching-app';
import { runImport, startSystem, System, Tenant } from './system';

const SHARED = path.resolve(__dirname, '..', '..', '..', '..', 'shared');
const statement = () => fs.readFileSync(path.join(SHARED, 'fixtures/camt053/statement-2026-11.xml'), 'utf8');

// API.md "Imports" for bank statements, through the gateway, with the sample statement.
describe('importing a bank statement', () => {
  let system: System;
  let tenant: Tenant;

  beforeAll(async () => {
    system = await startSystem();
    tenant = await system.createTenant({ name: 'UAB Pavyzdys', code: '123456789' });
  }, 60_000);

  afterAll(async () => {
    await system?.close();
  });

  const importXml = (xml: string, as: Tenant = tenant) =>
    runImport(as.admin, '/v1/imports/bank-statements', {
      raw: xml,
      headers: { 'content-type': 'application/xml' },
    });

  it('gives every line its documented outcome, and a second import skips them all', async () => {
    const job = await importXml(statement());
    expect(job.status).toBe('completed');
    expect(job.totals).toEqual({ lines: 8, matched: 2, created: 6, skipped: 0, failed: 0 });
    const lines = job.lines as any[];
    expect(lines.map((l) => [l.ref, l.outcome, l.matchedBy])).toEqual([
      ['2026110100001', 'created', null],
      ['2026110200002', 'created', null],
      ['2026110300003', 'created', null],
      ['2026110400004', 'created', null],
      ['2026110500005', 'matched', 'iban'],
      ['2026110600006', 'created', null],
      ['2026110700007', 'matched', 'name'],
      ['2026110800008', 'created', null],
    ]);
    expect(lines[4].clientId).toBe(lines[1].clientId);
    expect(lines[6].clientId).toBe(lines[5].clientId);

    const jonas = (await tenant.admin.get(`/v1/clients/${lines[0].clientId}`)).body;
    expect(jonas).toMatchObject({
      kind: 'person',
      firstName: 'Jonas',
      lastName: 'Jonaitis',
      roles: ['buyer'],
      hasOperations: true,
      bankAccounts: [expect.objectContaining({ iban: 'LT897044060001234567' })],
    });
    expect((await tenant.admin.get(`/v1/clients/${lines[2].clientId}`)).body).toMatchObject({
      kind: 'company',
      code: '302345678',
      roles: ['buyer'],
    });
    expect((await tenant.admin.get(`/v1/clients/${lines[3].clientId}`)).body).toMatchObject({
      kind: 'company',
      roles: ['supplier'],
    });
    expect((await tenant.admin.get(`/v1/clients/${lines[7].clientId}`)).body).toMatchObject({
      kind: 'company',
      code: '188659752',
      roles: ['supplier'],
    });
    expect((await tenant.admin.delete(`/v1/clients/${lines[0].clientId}`)).body.code).toBe(
      'client_has_operations',
    );

    const again = await importXml(statement());
    expect(again.totals).toEqual({ lines: 8, matched: 0, created: 0, skipped: 8, failed: 0 });
    expect(again.lines.every((l: any) => l.error?.code === 'already_imported')).toBe(true);
    await eventually(async () =>
      expect((await tenant.admin.get('/v1/clients?limit=500')).body.items).toHaveLength(7),
    );
  }, 60_000);

  it('resumes an import stopped mid-file: no line lost, no line applied twice', async () => {
    const fresh = await system.createTenant({ name: 'UAB Atsparus', code: '300000004' });
    system.importApp.get(ImportFaults).failBeforeSavingLine = 3;
    const job = await importXml(statement(), fresh);
    expect(job.status).toBe('completed');
    expect(job.totals.lines).toBe(8);
    expect(job.totals.failed).toBe(0);
    expect(job.totals.matched + job.totals.created).toBe(8);
    // Line 4's client was created before the stop; after the resume it is the same client, with one operation.
    const clients = new Set(job.lines.map((l: any) => l.clientId));
    expect(clients.size).toBe(6);
    for (const clientId of clients) {
      const history = (await fresh.admin.get(`/v1/clients/${clientId}/history`)).body.items as any[];
      const refs = history.filter((e) => e.type === 'OperationRecorded').map((e) => e.data.ref);
      expect(new Set(refs).size).toBe(refs.length);
      expect(refs.sort()).toEqual(
        job.lines
          .filter((l: any) => l.clientId === clientId)
          .map((l: any) => l.ref)
          .sort(),
      );
    }
  }, 60_000);

  it('makes one client per counterparty across two imports running at once', async () => {
    const fresh = await system.createTenant({ name: 'UAB Lygiagretus', code: '300000014' });
    // The same counterparties under other refs: a second bank's statement of the same month.
    const other = statement()
      .replace(/<AcctSvcrRef>2026/g, '<AcctSvcrRef>B2026')
      .replace('<Id>STMT-2026-11</Id>', '<Id>STMT-B</Id>');
    const [a, b] = await Promise.all([importXml(statement(), fresh), importXml(other, fresh)]);
    expect(a.totals.failed + b.totals.failed).toBe(0);
    const clientIds = new Set([...a.lines, ...b.lines].map((l: any) => l.clientId));
    expect(clientIds.size).toBe(6);
    // A line that found its client only at registration (the other import made it) says by what.
    const matched = [...a.lines, ...b.lines].filter((l: any) => l.outcome === 'matched');
    expect(matched.filter((l: any) => l.matchedBy === null)).toEqual([]);
    await eventually(async () =>
      expect((await fresh.admin.get('/v1/clients?limit=500')).body.items).toHaveLength(7),
    );
  }, 60_000);

  it('imports real banks’ statements: batches, missing refs, invalid IBANs, no entries', async () => {
    const peer = (file: string) => fs.readFileSync(path.join(SHARED, 'peer-data/camt053', file), 'utf8');
    const holland = await system.createTenant({ name: 'UAB Olandija', code: '300000022' });
    const dutch = await importXml(peer('oca-test-camt053.xml'), holland);
    expect(dutch.totals).toEqual({ lines: 4, matched: 1, created: 3, skipped: 0, failed: 0 });
    expect(dutch.lines.map((l: any) => [l.ref, l.outcome, l.matchedBy])).toEqual([
      ['1234Test/1#1', 'created', null],
      ['1234Test/1#2/1', 'created', null],
      // The batch's second transaction: the same creditor, found by name (its IBAN is not valid).
      ['1234Test/1#2/2', 'matched', 'name'],
      ['1234Test/1#3', 'created', null],
    ]);
    expect(dutch.lines[2].clientId).toBe(dutch.lines[1].clientId);
    for (const line of dutch.lines.slice(0, 3))
      expect(line.warnings[0]).toContain('NL46ABNA0499998748 is not valid');
    expect((await holland.admin.get(`/v1/clients/${dutch.lines[0].clientId}`)).body.addresses).toEqual([
      expect.objectContaining({ line1: 'TEST STREET 20', city: '1234 AB TESTCITY', country: 'NL' }),
    ]);

    const swiss = await importXml(
      peer('oca-test-camt053-txdtls.xml'),
      await system.createTenant({ name: 'UAB Šveicarija', code: '300000023' }),
    );
    expect(swiss.lines.map((l: any) => [l.outcome, l.matchedBy])).toEqual([
      ['created', null],
      ['matched', 'name'],
    ]);
    expect(swiss.lines[1].clientId).toBe(swiss.lines[0].clientId);
    // The second line matched the first's client, so it adds no address warning of its own.
    expect(swiss.lines[1].warnings).toEqual([
      expect.stringContaining('CH3333000000123456789 is not valid'),
      expect.stringContaining('country CH2'),
    ]);

    const empty = await importXml(peer('oca-test-camt053-no-ntry.xml'));
    expect(empty).toMatchObject({ status: 'completed', totals: { lines: 0 }, lines: [] });
  }, 60_000);

  it('fails a file that is not a statement with unparseable_file naming the place', async () => {
    const job = await importXml(
      '<?xml version="1.0"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt><Stmt>',
    );
    expect(job).toMatchObject({
      status: 'failed',
      error: { code: 'unparseable_file', message: expect.stringMatching(/line \d+, column \d+/) },
    });
  });

  it('refuses a body that is not XML and answers 404 for another tenant’s import', async () => {
    const json = await tenant.admin.post('/v1/imports/bank-statements', { statement: 'x' });
    expect(json.status).toBe(415);
    expect(json.body.code).toBe('unsupported_media_type');
    const job = await importXml(statement());
    const other = await system.createTenant({ name: 'UAB Kitas', code: '300000005' });
    expect((await other.admin.get(`/v1/imports/${job.id}`)).status).toBe(404);
    expect(
      (
        await (
          await tenant.as('auditor')
        ).request('POST', '/v1/imports/bank-statements', {
          raw: statement(),
          headers: { 'content-type': 'application/xml' },
        })
      ).status,
    ).toBe(403);
  }, 60_000);
});
