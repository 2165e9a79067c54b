import {
  eventually,
  foreignCounterpartiesStatement,
  FOREIGN_STATEMENT_ID,
  INVALID_IDS,
  OWN_COMPANY,
  sampleStatement,
  statementWithoutEntries,
} from '@clientbook/testing';
// The test stops an import where a killed process would, from inside import-matching.
import { ImportFaults } from '@clientbook/import-matching-app';
import { runImport, startSystem, System, Tenant } from './system';

// The project's own sample statement (libs/testing); other projects' statements are imported by the
// opt-in peer suite (./peer/oca-statements.peer-spec.ts).
const statement = () => sampleStatement();

// API.md "Imports" for bank statements, through the gateway, with the sample statement.
describe('importing a bank statement', () => {
  let system: System;
  let tenant: Tenant;

  beforeAll(async () => {
    system = await startSystem();
    // The owner of the statement's account, named in it as the other party of every payment.
    tenant = await system.createTenant({ name: OWN_COMPANY.name, code: OWN_COMPANY.code });
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
      ['CB-2603-0001', 'created', null],
      ['CB-2603-0002', 'created', null],
      ['CB-2603-0003', 'created', null],
      ['CB-2603-0004', 'created', null],
      ['CB-2603-0005', 'matched', 'iban'],
      ['CB-2603-0006', 'created', null],
      ['CB-2603-0007', 'matched', 'name'],
      ['CB-2603-0008', 'created', null],
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
      bankAccounts: [expect.objectContaining({ iban: 'LT157300010087654321' })],
    });
    expect((await tenant.admin.get(`/v1/clients/${lines[2].clientId}`)).body).toMatchObject({
      kind: 'company',
      code: '302345678',
      roles: ['buyer'],
    });
    expect((await tenant.admin.get(`/v1/clients/${lines[3].clientId}`)).body).toMatchObject({
      kind: 'company',
      code: '304872159',
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
    const other = sampleStatement({ statementId: 'CB-2026-03-B', refPrefix: 'CB-B-2603-' });
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

  it('imports foreign counterparties’ statements: batches, missing refs, invalid IBANs, no entries', async () => {
    const id = FOREIGN_STATEMENT_ID;
    const abroad = await system.createTenant({ name: 'UAB Užsienis', code: '300000022' });
    const foreign = await importXml(foreignCounterpartiesStatement(), abroad);
    expect(foreign.totals).toEqual({ lines: 6, matched: 2, created: 4, skipped: 0, failed: 0 });
    expect(foreign.lines.map((l: any) => [l.ref, l.outcome, l.matchedBy])).toEqual([
      ['CB-FX-0420/1', 'created', null],
      // The entry's second transaction: the same bank, found by name (its IBAN is not valid).
      ['CB-FX-0420/2', 'matched', 'name'],
      [`${id}#2`, 'created', null],
      [`${id}#3/1`, 'created', null],
      // The reversed batch's second transaction: the same creditor, found by name.
      [`${id}#3/2`, 'matched', 'name'],
      [`${id}#4`, 'created', null],
    ]);
    expect(foreign.lines[1].clientId).toBe(foreign.lines[0].clientId);
    expect(foreign.lines[4].clientId).toBe(foreign.lines[3].clientId);
    for (const line of foreign.lines.slice(2, 5))
      expect(line.warnings[0]).toContain(`${INVALID_IDS.dutchIbanBadCheck} is not valid`);
    expect((await abroad.admin.get(`/v1/clients/${foreign.lines[2].clientId}`)).body.addresses).toEqual([
      expect.objectContaining({ line1: 'Havenkade 7', city: 'Rotterdam', country: 'NL' }),
    ]);
    // Neither the invalid IBAN nor the address with country "CHE" is stored; the address is in the notes.
    expect((await abroad.admin.get(`/v1/clients/${foreign.lines[0].clientId}`)).body).toMatchObject({
      kind: 'company',
      name: 'Banque du Léman',
      residency: 'foreign',
      bankAccounts: [],
      addresses: [],
      notes: expect.stringMatching(/^Address on the bank statement: .*CHE/),
    });
    // The second line matched the first's client, so it adds no address warning of its own.
    expect(foreign.lines[1].warnings).toEqual([
      expect.stringContaining(`${INVALID_IDS.swissIbanBadCheck2} is not valid`),
      expect.stringContaining('country Schweiz'),
    ]);

    const empty = await importXml(statementWithoutEntries());
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
