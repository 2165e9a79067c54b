import {
  FOREIGN_STATEMENT_PARTIES,
  foreignCounterpartiesStatement,
  INVALID_IDS,
  OWN_COMPANY,
  sampleStatement,
} from '@clientbook/testing';
import { BankStatementLine, parseCamt053 } from './camt053.parser';
import { matchBankLine } from './match-bank-line';
import { MatchableClient, MatchingIndex } from '../matching/matching-index';
import { matchableFromDraft, NewClientDraft } from '../matching/decisions';

// The project's own sample statements (libs/testing); other projects' statements are checked by
// the opt-in peer suite (apps/system-tests/src/peer/oca-statements.peer-spec.ts).
const statement = () => parseCamt053(sampleStatement());
const foreignLines = () => parseCamt053(foreignCounterpartiesStatement());

// The owner of the statement's account, named in it as the other party of every payment.
const ownCompany: MatchableClient = {
  id: 'own',
  createdAt: '2026-01-01T00:00:00Z',
  kind: 'company',
  name: OWN_COMPANY.name,
  code: OWN_COMPANY.code,
  ibans: [OWN_COMPANY.iban],
  email: null,
};

/** Runs a statement like an import does: what a line creates, later lines can match. */
function importStatement(index: MatchingIndex) {
  let created = 0;
  return statement().map((line) => {
    const decision = matchBankLine(index, line);
    if (decision.outcome === 'create') {
      created += 1;
      const draft: NewClientDraft = decision.draft;
      index.put(matchableFromDraft(`new-${created}`, `2026-12-01T00:00:0${created}Z`, draft));
      return { ref: line.ref, outcome: 'created', clientId: `new-${created}`, draft };
    }
    return { ref: line.ref, ...decision };
  });
}

describe('matching a bank statement', () => {
  it('gives every line of the sample statement its documented outcome', () => {
    const index = new MatchingIndex();
    index.put(ownCompany);
    const results = importStatement(index);
    expect(
      results.map((r) => [
        r.outcome,
        'clientId' in r ? r.clientId : null,
        'matchedBy' in r ? r.matchedBy : null,
      ]),
    ).toEqual([
      ['created', 'new-1', null],
      ['created', 'new-2', null],
      ['created', 'new-3', null],
      ['created', 'new-4', null],
      ['matched', 'new-2', 'iban'],
      ['created', 'new-5', null],
      ['matched', 'new-5', 'name'],
      ['created', 'new-6', null],
    ]);
    const drafts = results.map((r) => ('draft' in r ? r.draft : null));
    expect(drafts[0]).toEqual({
      kind: 'person',
      name: null,
      firstName: 'Jonas',
      lastName: 'Jonaitis',
      code: null,
      roles: ['buyer'],
      residency: 'resident',
      bankAccounts: [{ iban: 'LT157300010087654321', main: true }],
      addresses: [],
      notes: null,
    });
    expect(drafts[2]).toMatchObject({
      kind: 'company',
      name: 'UAB MEDZIO DARBAI',
      code: '302345678',
      roles: ['buyer'],
    });
    expect(drafts[3]).toMatchObject({
      kind: 'company',
      name: 'UAB Popieriaus Tiekimas',
      code: '304872159',
      roles: ['supplier'],
    });
    expect(drafts[7]).toMatchObject({ kind: 'company', code: '188659752', roles: ['supplier'] });
  });

  it('matches line 2 by name when Šarūnas Petrauskas already exists', () => {
    const index = new MatchingIndex();
    index.put({
      id: 'sarunas',
      createdAt: '2026-01-02T00:00:00Z',
      kind: 'person',
      name: 'Šarūnas Petrauskas',
      code: null,
      ibans: [],
      email: null,
    });
    const line2 = matchBankLine(index, statement()[1]);
    expect(line2).toMatchObject({
      outcome: 'matched',
      clientId: 'sarunas',
      matchedBy: 'name',
      candidates: [],
    });
  });

  it('prefers the code, then the IBAN, then the name', () => {
    const index = new MatchingIndex();
    index.put({
      id: 'by-name',
      createdAt: '2026-01-01T00:00:00Z',
      kind: 'company',
      name: 'Medžio Darbai, UAB',
      code: null,
      ibans: [],
      email: null,
    });
    index.put({
      id: 'by-iban',
      createdAt: '2026-01-02T00:00:00Z',
      kind: 'company',
      name: 'Kitas',
      code: null,
      ibans: ['LT89 4010 0510 0033 3444'],
      email: null,
    });
    expect(matchBankLine(index, statement()[2])).toMatchObject({ clientId: 'by-iban', matchedBy: 'iban' });
    index.put({
      id: 'by-code',
      createdAt: '2026-01-03T00:00:00Z',
      kind: 'company',
      name: 'Dar kitas',
      code: '302 345 678',
      ibans: [],
      email: null,
    });
    expect(matchBankLine(index, statement()[2])).toMatchObject({ clientId: 'by-code', matchedBy: 'code' });
  });

  it('takes the oldest of several candidates and lists them all', () => {
    const index = new MatchingIndex();
    index.put({
      id: 'newer',
      createdAt: '2026-03-01T00:00:00Z',
      kind: 'person',
      name: 'Lina Stankevičienė',
      code: null,
      ibans: [],
      email: null,
    });
    index.put({
      id: 'older',
      createdAt: '2026-02-01T00:00:00Z',
      kind: 'person',
      name: 'STANKEVICIENE LINA',
      code: null,
      ibans: [],
      email: null,
    });
    expect(matchBankLine(index, statement()[5])).toEqual({
      outcome: 'matched',
      clientId: 'older',
      matchedBy: 'name',
      candidates: ['older', 'newer'],
      warnings: [],
    });
  });

  it('forgets clients that are removed (merged or deleted)', () => {
    const index = new MatchingIndex();
    index.put({
      id: 'gone',
      createdAt: '2026-01-01T00:00:00Z',
      kind: 'person',
      name: 'Jonas Jonaitis',
      code: null,
      ibans: ['LT157300010087654321'],
      email: null,
    });
    index.remove('gone');
    expect(matchBankLine(index, statement()[0]).outcome).toBe('create');
    expect(index.size).toBe(0);
  });

  it('neither stores nor uses an invalid IBAN or country, and says so', () => {
    const index = new MatchingIndex();
    // Banque du Léman: an IBAN with wrong check digits, the country "CHE" (not an alpha-2 code).
    const line = foreignLines()[0];
    const decision = matchBankLine(index, line);
    expect(decision.outcome).toBe('create');
    if (decision.outcome !== 'create') return;
    expect(decision.draft).toMatchObject({
      kind: 'company',
      name: 'Banque du Léman',
      bankAccounts: [],
      addresses: [],
      // The address a card cannot hold (its country is not a code) is kept, in the notes.
      notes: expect.stringMatching(/^Address on the bank statement: .*CHE/),
      residency: 'foreign',
    });
    expect(decision.warnings).toEqual([
      expect.stringContaining(`IBAN ${INVALID_IDS.swissIbanBadCheck1} is not valid`),
      expect.stringContaining('country CHE'),
      expect.stringContaining('residency is set to foreign'),
      expect.stringContaining('kept in the notes'),
    ]);
  });

  it('stores a foreign counterparty’s address and valid IBAN; residency from the IBAN, else the address', () => {
    const lines = foreignLines();
    // The insurer's IBAN fails mod 97: not stored, residency from the address.
    expect(matchBankLine(new MatchingIndex(), lines[2])).toMatchObject({
      outcome: 'create',
      draft: {
        kind: 'company',
        residency: 'eu',
        roles: ['supplier'],
        bankAccounts: [],
        addresses: [{ line1: 'Havenkade 7', city: 'Rotterdam', postalCode: '3011 AB', country: 'NL' }],
      },
      warnings: [expect.stringContaining(`IBAN ${INVALID_IDS.dutchIbanBadCheck} is not valid`)],
    });
    expect(matchBankLine(new MatchingIndex(), lines[5])).toMatchObject({
      outcome: 'create',
      draft: {
        kind: 'company',
        name: 'Lichtveld Media',
        roles: ['buyer'],
        residency: 'eu',
        bankAccounts: [{ iban: FOREIGN_STATEMENT_PARTIES.media.iban, main: true }],
      },
      warnings: [],
    });
  });

  it('skips a line without a counterparty with no_counterparty', () => {
    const decision = matchBankLine(new MatchingIndex(), {
      ref: 'F',
      direction: 'out',
      amount: '1',
      currency: 'EUR',
      bookingDate: null,
      reversal: false,
      remittance: null,
      warnings: [],
      counterparty: null,
    });
    expect(decision).toMatchObject({ outcome: 'skipped', error: { code: 'no_counterparty' } });
  });

  describe('a counterparty with ids and an address but no name', () => {
    const line = (counterparty: NonNullable<BankStatementLine['counterparty']>): BankStatementLine => ({
      ref: 'NN-1',
      direction: 'in',
      amount: '1.00',
      currency: 'USD',
      bookingDate: null,
      reversal: false,
      counterparty,
      remittance: null,
      warnings: [],
    });
    const party = {
      name: null,
      iban: null,
      organisationId: '22334455',
      privateId: null,
      address: {
        lines: ['2099 Gateway Place, Ste 140'],
        street: null,
        buildingNumber: null,
        postalCode: null,
        town: null,
        country: null,
      },
    };

    it('is named after what is there, says so, keeps its address and claims no residency it has no evidence of', () => {
      const decision = matchBankLine(new MatchingIndex(), line(party));
      if (decision.outcome !== 'create') throw new Error(decision.outcome);
      expect(decision.draft).toMatchObject({
        kind: 'company',
        name: 'Unnamed counterparty (org. id 22334455)',
        residency: 'foreign',
        code: '22334455',
        addresses: [],
        notes: 'Address on the bank statement: 2099 Gateway Place, Ste 140',
      });
      expect(decision.warnings).toEqual([
        expect.stringContaining('no counterparty name'),
        expect.stringContaining('residency is set to foreign'),
        expect.stringContaining('kept in the notes'),
      ]);
    });

    it.each([
      ['a valid Lithuanian company code', { organisationId: '302345678' }, 'resident'],
      ['a Lithuanian legal form', { name: 'UAB Be Sąskaitos' }, 'resident'],
      ['an address in Latvia', { address: { ...party.address, town: 'Riga', country: 'LV' } }, 'eu'],
      ['an IBAN of Germany', { iban: 'DE89370400440532013000' }, 'eu'],
      ['an IBAN of the UK', { iban: 'GB25NWBK60053782218919' }, 'foreign'],
    ])('takes residency from %s', (_name, change, residency) => {
      const decision = matchBankLine(new MatchingIndex(), line({ ...party, ...change }));
      expect(decision.outcome === 'create' && decision.draft.residency).toBe(residency);
    });
  });
});
