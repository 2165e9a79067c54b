import * as fs from 'node:fs';
import * as path from 'node:path';
import { matchBankLine, MatchingIndex, parseCamt053 } from '@clientbook/import-matching-app';
import { runImport, startSystem, System, Tenant } from '../system';

// Opt-in (`npm run test:peer`): the test statements of the OCA bank-statement-import project
// (account_statement_import_camt, AGPL-3.0), read in place from ../shared/peer-data where that
// folder exists; never copied into this project. The default suites check the same behaviours on
// the project's own foreignCounterpartiesStatement() and statementWithoutEntries() (libs/testing).
const PEER = path.resolve(__dirname, '..', '..', '..', '..', '..', 'shared', 'peer-data', 'camt053');

function peer(file: string): string {
  const full = path.join(PEER, file);
  if (!fs.existsSync(full))
    throw new Error(
      `${full} is not there: this suite reads other projects' statements from ../shared/peer-data`,
    );
  return fs.readFileSync(full, 'utf8');
}

describe('the OCA test statements, parsed and matched', () => {
  it('gives refs from the statement and position when entries have none, and splits batches', () => {
    const lines = parseCamt053(peer('oca-test-camt053.xml'));
    expect(lines.map((l) => l.ref)).toEqual([
      '1234Test/1#1',
      '1234Test/1#2/1',
      '1234Test/1#2/2',
      '1234Test/1#3',
    ]);
    expect(lines.map((l) => l.direction)).toEqual(['out', 'out', 'out', 'in']);
    expect(lines[0].counterparty).toEqual({
      name: 'INSURANCE COMPANY TESTX',
      iban: 'NL46ABNA0499998748',
      organisationId: null,
      privateId: null,
      address: {
        lines: [],
        street: 'TEST STREET 20',
        buildingNumber: null,
        postalCode: null,
        town: '1234 AB TESTCITY',
        country: 'NL',
      },
    });
    expect(lines[1]).toMatchObject({
      reversal: true,
      amount: '564.05',
      counterparty: { name: 'Test Customer' },
    });
    // Same refs on every read of the same statement.
    expect(parseCamt053(peer('oca-test-camt053.xml')).map((l) => l.ref)).toEqual(lines.map((l) => l.ref));
  });

  it('keeps refs unique when two transactions share a transaction reference (camt.053.001.04)', () => {
    const lines = parseCamt053(peer('oca-test-camt053-txdtls.xml'));
    expect(lines).toHaveLength(2);
    expect(new Set(lines.map((l) => l.ref)).size).toBe(2);
    expect(lines.map((l) => l.ref)).toEqual([
      '20170323001234567891234567891234/1',
      '20170323001234567891234567891234/2',
    ]);
    // Invalid data is passed on as found; matching decides what to use (an IBAN, a country "CH1").
    expect(lines[0].counterparty).toMatchObject({
      name: 'Banque Cantonale Vaudoise',
      iban: 'CH2222000000123456789',
      address: { country: 'CH1' },
    });
  });

  it('reads a statement without entries as zero lines', () => {
    expect(parseCamt053(peer('oca-test-camt053-no-ntry.xml'))).toEqual([]);
  });

  it('neither stores nor uses an invalid IBAN or country, and says so', () => {
    const line = parseCamt053(peer('oca-test-camt053-txdtls.xml'))[0];
    const decision = matchBankLine(new MatchingIndex(), line);
    expect(decision.outcome).toBe('create');
    if (decision.outcome !== 'create') return;
    expect(decision.draft).toMatchObject({
      kind: 'company',
      name: 'Banque Cantonale Vaudoise',
      bankAccounts: [],
      addresses: [],
      // The address a card cannot hold (its country is not a code) is kept, in the notes.
      notes: expect.stringMatching(/^Address on the bank statement: .*CH1/),
      residency: 'foreign',
    });
    expect(decision.warnings).toEqual([
      expect.stringContaining('IBAN CH2222000000123456789 is not valid'),
      expect.stringContaining('country CH1'),
      expect.stringContaining('residency is set to foreign'),
      expect.stringContaining('kept in the notes'),
    ]);
  });

  it('stores a foreign counterparty’s address and valid IBAN; residency from the IBAN, else the address', () => {
    const lines = parseCamt053(peer('oca-test-camt053.xml'));
    // Line 1's IBAN fails mod 97 (as the peer data says): not stored, residency from the address.
    expect(matchBankLine(new MatchingIndex(), lines[0])).toMatchObject({
      outcome: 'create',
      draft: {
        kind: 'company',
        residency: 'eu',
        roles: ['supplier'],
        bankAccounts: [],
        addresses: [{ line1: 'TEST STREET 20', city: '1234 AB TESTCITY', postalCode: null, country: 'NL' }],
      },
      warnings: [expect.stringContaining('IBAN NL46ABNA0499998748 is not valid')],
    });
    expect(matchBankLine(new MatchingIndex(), lines[3])).toMatchObject({
      outcome: 'create',
      draft: {
        kind: 'company',
        name: '3rd party Media',
        roles: ['buyer'],
        residency: 'eu',
        bankAccounts: [{ iban: 'NL69ABNA0522123643', main: true }],
      },
      warnings: [],
    });
  });
});

describe('the OCA test statements, imported through the gateway', () => {
  let system: System;

  beforeAll(async () => {
    system = await startSystem();
  }, 60_000);

  afterAll(async () => {
    await system?.close();
  });

  const importXml = (xml: string, as: Tenant) =>
    runImport(as.admin, '/v1/imports/bank-statements', {
      raw: xml,
      headers: { 'content-type': 'application/xml' },
    });

  it('imports real banks’ statements: batches, missing refs, invalid IBANs, no entries', async () => {
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

    const switzerland = await system.createTenant({ name: 'UAB Šveicarija', code: '300000023' });
    const swiss = await importXml(peer('oca-test-camt053-txdtls.xml'), switzerland);
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

    const empty = await importXml(peer('oca-test-camt053-no-ntry.xml'), switzerland);
    expect(empty).toMatchObject({ status: 'completed', totals: { lines: 0 }, lines: [] });
  }, 60_000);
});
