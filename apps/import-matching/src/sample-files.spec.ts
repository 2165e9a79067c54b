import {
  isCountryCode,
  validateCompanyCode,
  validateIban,
  validatePersonalCode,
  validateVatCode,
} from '@clientbook/identifiers';
import { composeIBAN } from 'ibantools';
import * as samples from '@clientbook/testing';
import { matchBankLine } from './bank-statements/match-bank-line';
import { EshopOrder, matchEshopOrder, MatchingSettings } from './eshop-orders/match-eshop-order';
import { MatchingIndex } from './matching/matching-index';
import { cardOfRow } from './client-files/client-rows';
import { parseCamt053, parseCamt053Bytes } from './bank-statements/camt053.parser';
import { NO_MAPPING, parseClientCsv, parseMapping } from './client-files/client-file.parser';
import { matchableFromDraft, NewClientDraft } from './matching/decisions';

const {
  FOREIGN_STATEMENT_ID,
  INVALID_IDS,
  OTHER_APP_ROWS,
  OUR_CLIENT_ROWS,
  OWN_COMPANY,
  SAMPLE_ORDER_COMPANY,
  SAMPLE_STATEMENT_PARTIES: P,
  FOREIGN_STATEMENT_PARTIES: F,
} = samples;

const ok = (value: string) => ({ ok: true, value });
const fails = (message: string) => ({ ok: false, message: expect.stringContaining(message) });

/** Runs statement lines as an import does: what a line creates, later lines can match. */
function importLines(lines: ReturnType<typeof parseCamt053>, index = new MatchingIndex()) {
  let created = 0;
  return lines.map((line) => {
    const decision = matchBankLine(index, line);
    if (decision.outcome !== 'create') return { ref: line.ref, ...decision };
    created += 1;
    const draft: NewClientDraft = decision.draft;
    index.put(matchableFromDraft(`new-${created}`, `2026-12-01T00:00:0${created}Z`, draft));
    return {
      ref: line.ref,
      outcome: 'created' as const,
      clientId: `new-${created}`,
      draft,
      warnings: decision.warnings,
    };
  });
}

const summary = (results: ReturnType<typeof importLines>) =>
  results.map((r) => [
    r.ref,
    r.outcome,
    'clientId' in r ? r.clientId : null,
    'matchedBy' in r ? r.matchedBy : null,
  ]);

describe('the sample files’ identifiers', () => {
  it('gives the own company a valid code and IBAN', () => {
    expect(validateCompanyCode(OWN_COMPANY.code)).toEqual(ok(OWN_COMPANY.code));
    expect(validateIban(OWN_COMPANY.iban)).toEqual(ok(OWN_COMPANY.iban));
  });

  it.each(Object.entries(P))('gives statement party %s a valid IBAN and organisation id', (_key, party) => {
    expect(validateIban(party.iban)).toEqual(ok(party.iban));
    if ('organisationId' in party)
      expect(validateCompanyCode(party.organisationId)).toEqual(ok(party.organisationId));
  });

  it('gives the foreign statement one valid IBAN, and invalid countries where meant', () => {
    expect(Object.values(F).map((party) => [party.name, validateIban(party.iban).ok])).toEqual([
      ['Banque du Léman', false],
      ['Banque du Léman', false],
      ['Verzekeringen Noordzee B.V.', false],
      ['Anke Visser', false],
      ['Lichtveld Media', true],
    ]);
    expect(Object.values(F).map((party) => isCountryCode(party.address.country.toUpperCase()))).toEqual([
      false,
      false,
      true,
      true,
      true,
    ]);
  });

  it('puts in the files no IBAN and no organisation id that is invalid by accident', () => {
    const meantToFail: string[] = Object.values(INVALID_IDS);
    const xml = [
      samples.sampleStatement(),
      samples.foreignCounterpartiesStatement(),
      samples.statementWithoutEntries(),
    ];
    const all = (pattern: RegExp) => xml.flatMap((doc) => [...doc.matchAll(pattern)].map((m) => m[1]));
    const ibans = [
      ...all(/<IBAN>([^<]*)<\/IBAN>/g),
      ...[...OTHER_APP_ROWS, ...OUR_CLIENT_ROWS].flatMap((row) => (row.iban ? [row.iban] : [])),
    ];
    expect(ibans.length).toBeGreaterThan(20);
    for (const iban of ibans)
      expect([iban, validateIban(iban).ok]).toEqual([iban, !meantToFail.includes(iban)]);
    const organisationIds = all(/<Othr><Id>([^<]*)<\/Id><\/Othr>/g);
    expect(organisationIds).toEqual(['302345678', '304872159', '188659752']);
    for (const code of organisationIds) expect(validateCompanyCode(code)).toEqual(ok(code));
  });

  it('gives the e-shop company a valid company and VAT code', () => {
    expect(validateCompanyCode(SAMPLE_ORDER_COMPANY.code)).toEqual(ok(SAMPLE_ORDER_COMPANY.code));
    expect(validateVatCode(SAMPLE_ORDER_COMPANY.vatCode)).toEqual(ok(SAMPLE_ORDER_COMPANY.vatCode));
  });

  it('gives the other application’s rows 1–4 valid identifiers and row 5 the two faults', () => {
    for (const row of OTHER_APP_ROWS.slice(0, 4)) {
      const code = row.code ?? '';
      expect(validateCompanyCode(code)).toEqual(ok(code));
      if (row.vatCode) expect(validateVatCode(row.vatCode)).toEqual(ok(row.vatCode));
      if (row.iban) expect(validateIban(row.iban)).toEqual(ok(row.iban));
      expect(isCountryCode(row.country ?? '')).toBe(true);
    }
    const row5 = OTHER_APP_ROWS[4];
    expect(validateCompanyCode(row5.code ?? '')).toEqual(fails('9 digits'));
    expect(validateIban(row5.iban ?? '')).toEqual(fails('check digits'));
  });

  it('gives our own file a valid personal code, a free-form foreign code and one wrong check digit', () => {
    const [ona, nordic, petras] = OUR_CLIENT_ROWS;
    expect(validatePersonalCode(ona.code ?? '')).toEqual(ok('48605142711'));
    // Not Lithuanian: its code is not checked, its VAT code has the country prefix.
    expect(validateCompanyCode(nordic.code ?? '')).toMatchObject({ ok: false });
    expect(validateVatCode(nordic.vatCode ?? '')).toEqual(ok('SE559214730901'));
    expect(validatePersonalCode(petras.code ?? '')).toEqual(fails('check digit'));
  });

  it.each([
    [INVALID_IDS.lithuanianIbanBadCheck],
    [INVALID_IDS.dutchIbanBadCheck],
    [INVALID_IDS.swissIbanBadCheck1],
    [INVALID_IDS.swissIbanBadCheck2],
  ])('makes %s invalid only by its check digits', (iban) => {
    expect(validateIban(iban)).toEqual(fails('check digits'));
    const fixed = composeIBAN({ countryCode: iban.slice(0, 2), bban: iban.slice(4) }) ?? '';
    expect(validateIban(fixed)).toEqual(ok(fixed));
  });

  it('makes the personal code invalid only by its check digit', () => {
    const code = INVALID_IDS.personalCodeBadCheck;
    const fixed = Array.from({ length: 10 }, (_, d) => `${code.slice(0, 10)}${d}`).filter(
      (candidate) => validatePersonalCode(candidate).ok,
    );
    expect(fixed).toEqual(['37809221533']);
  });
});

describe('the sample statement', () => {
  const lines = () => parseCamt053(samples.sampleStatement());

  it('parses to eight lines, the counterparty by direction', () => {
    expect(lines().map((l) => [l.ref, l.direction, l.counterparty?.name, l.counterparty?.iban])).toEqual([
      ['CB-2603-0001', 'in', 'JONAS JONAITIS', P.jonas.iban],
      ['CB-2603-0002', 'in', 'SARUNAS PETRAUSKAS', P.sarunas.iban],
      ['CB-2603-0003', 'in', 'UAB MEDZIO DARBAI', P.medzioDarbai.iban],
      ['CB-2603-0004', 'out', 'UAB Popieriaus Tiekimas', P.popieriausTiekimas.iban],
      ['CB-2603-0005', 'in', 'Petrauskas Sarunas', P.sarunas.iban],
      ['CB-2603-0006', 'in', 'Lina Stankevičienė', P.lina.iban],
      ['CB-2603-0007', 'in', 'LINA STANKEVICIENE', P.linaInCapitals.iban],
      ['CB-2603-0008', 'out', 'Valstybinė mokesčių inspekcija', P.taxAuthority.iban],
    ]);
    expect(lines()[0]).toMatchObject({
      amount: '150.00',
      currency: 'EUR',
      bookingDate: '2026-03-02',
      reversal: false,
      remittance: 'Apmokėjimas pagal sąskaitą BA-0311',
      warnings: [],
    });
    expect(lines().map((l) => l.counterparty?.organisationId ?? null)).toEqual([
      null,
      null,
      '302345678',
      '304872159',
      null,
      null,
      null,
      '188659752',
    ]);
    expect(parseCamt053Bytes(Buffer.from(samples.sampleStatement()))).toEqual(lines());
  });

  it('gives every line its documented outcome', () => {
    const index = new MatchingIndex();
    index.put({
      id: 'own',
      createdAt: '2026-01-01T00:00:00Z',
      kind: 'company',
      name: OWN_COMPANY.name,
      code: OWN_COMPANY.code,
      ibans: [OWN_COMPANY.iban],
      email: null,
    });
    const results = importLines(lines(), index);
    expect(summary(results)).toEqual([
      ['CB-2603-0001', 'created', 'new-1', null],
      ['CB-2603-0002', 'created', 'new-2', null],
      ['CB-2603-0003', 'created', 'new-3', null],
      ['CB-2603-0004', 'created', 'new-4', null],
      ['CB-2603-0005', 'matched', 'new-2', 'iban'],
      ['CB-2603-0006', 'created', 'new-5', null],
      ['CB-2603-0007', 'matched', 'new-5', 'name'],
      ['CB-2603-0008', 'created', 'new-6', null],
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
      bankAccounts: [{ iban: P.jonas.iban, main: true }],
      addresses: [],
      notes: null,
    });
    expect(drafts[1]).toMatchObject({ kind: 'person', firstName: 'Sarunas', lastName: 'Petrauskas' });
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
    expect(drafts[5]).toMatchObject({
      kind: 'person',
      firstName: 'Lina',
      lastName: 'Stankevičienė',
      residency: 'resident',
    });
    expect(drafts[7]).toMatchObject({ kind: 'company', code: '188659752', roles: ['supplier'] });
    expect(results.flatMap((r) => r.warnings)).toEqual([]);
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
    expect(matchBankLine(index, lines()[1])).toMatchObject({
      outcome: 'matched',
      clientId: 'sarunas',
      matchedBy: 'name',
    });
  });

  it('gives the same counterparties other refs in a second statement', () => {
    const other = parseCamt053(
      samples.sampleStatement({ statementId: 'CB-2026-03-B', refPrefix: 'CB-B-2603-' }),
    );
    expect(other.map((l) => l.ref)).toEqual(lines().map((l) => l.ref.replace('CB-2603-', 'CB-B-2603-')));
    expect(other.map((l) => l.counterparty)).toEqual(lines().map((l) => l.counterparty));
  });
});

describe('the foreign counterparties statement', () => {
  const lines = () => parseCamt053(samples.foreignCounterpartiesStatement());
  const id = FOREIGN_STATEMENT_ID;

  it('parses shared refs, missing refs, a reversed batch and addresses as found', () => {
    expect(lines().map((l) => [l.ref, l.direction, l.reversal, l.amount, l.counterparty?.name])).toEqual([
      ['CB-FX-0420/1', 'in', false, '1200.00', 'Banque du Léman'],
      ['CB-FX-0420/2', 'in', false, '550.00', 'Banque du Léman'],
      [`${id}#2`, 'out', false, '318.40', 'Verzekeringen Noordzee B.V.'],
      [`${id}#3/1`, 'out', true, '61.50', 'Anke Visser'],
      [`${id}#3/2`, 'out', true, '35.00', 'Anke Visser'],
      [`${id}#4`, 'in', false, '2205.75', 'Lichtveld Media'],
    ]);
    expect(lines()[0].counterparty).toEqual({
      name: 'Banque du Léman',
      iban: INVALID_IDS.swissIbanBadCheck1,
      organisationId: null,
      privateId: null,
      address: {
        lines: [],
        street: 'Rue du Lac',
        buildingNumber: '12',
        postalCode: '1007',
        town: 'Lausanne',
        country: 'CHE',
      },
    });
    expect(lines()[0].remittance).toBe('RF17LEMAN2026041');
    expect(lines()[1].counterparty?.address?.country).toBe('Schweiz');
  });

  it('neither stores nor uses an invalid IBAN or country, and says so', () => {
    const decision = matchBankLine(new MatchingIndex(), lines()[0]);
    expect(decision).toMatchObject({
      outcome: 'create',
      draft: {
        kind: 'company',
        name: 'Banque du Léman',
        roles: ['buyer'],
        bankAccounts: [],
        addresses: [],
        notes: 'Address on the bank statement: Rue du Lac, 12, 1007, Lausanne, CHE',
        residency: 'foreign',
      },
    });
    expect(decision.warnings).toEqual([
      expect.stringContaining(`IBAN ${INVALID_IDS.swissIbanBadCheck1} is not valid`),
      expect.stringContaining('country CHE'),
      expect.stringContaining('residency is set to foreign'),
      expect.stringContaining('kept in the notes'),
    ]);
  });

  it('stores a foreign address and valid IBAN; residency from the IBAN, else the address', () => {
    expect(matchBankLine(new MatchingIndex(), lines()[2])).toMatchObject({
      outcome: 'create',
      draft: {
        kind: 'company',
        residency: 'eu',
        roles: ['supplier'],
        bankAccounts: [],
        addresses: [{ line1: 'Havenkade 7', city: 'Rotterdam', postalCode: '3011 AB', country: 'NL' }],
        notes: null,
      },
      warnings: [expect.stringContaining(`IBAN ${INVALID_IDS.dutchIbanBadCheck} is not valid`)],
    });
    expect(matchBankLine(new MatchingIndex(), lines()[5])).toEqual({
      outcome: 'create',
      draft: {
        kind: 'company',
        name: 'Lichtveld Media',
        firstName: null,
        lastName: null,
        code: null,
        roles: ['buyer'],
        residency: 'eu',
        bankAccounts: [{ iban: F.media.iban, main: true }],
        addresses: [{ line1: 'Kanaalweg 21', city: 'Utrecht', postalCode: '3526 KL', country: 'NL' }],
        notes: null,
      },
      warnings: [],
    });
  });

  it('imported as a whole: the second transaction of each pair matches the first by name', () => {
    const results = importLines(lines());
    expect(summary(results)).toEqual([
      ['CB-FX-0420/1', 'created', 'new-1', null],
      ['CB-FX-0420/2', 'matched', 'new-1', 'name'],
      [`${id}#2`, 'created', 'new-2', null],
      [`${id}#3/1`, 'created', 'new-3', null],
      [`${id}#3/2`, 'matched', 'new-3', 'name'],
      [`${id}#4`, 'created', 'new-4', null],
    ]);
    expect(results[1].warnings).toEqual([
      expect.stringContaining(`${INVALID_IDS.swissIbanBadCheck2} is not valid`),
      expect.stringContaining('country Schweiz'),
    ]);
    expect(results[3]).toMatchObject({
      draft: {
        kind: 'person',
        firstName: 'Anke',
        lastName: 'Visser',
        residency: 'eu',
        addresses: [],
        notes: null,
      },
    });
    for (const result of results.slice(2, 5))
      expect(result.warnings[0]).toContain(`${INVALID_IDS.dutchIbanBadCheck} is not valid`);
  });

  it('reads a statement without entries as zero lines', () => {
    expect(parseCamt053(samples.statementWithoutEntries())).toEqual([]);
  });
});

describe('the sample e-shop orders', () => {
  const orders = (): EshopOrder[] => samples.sampleOrders().orders;

  function importOrders(settings: MatchingSettings, index = new MatchingIndex()) {
    let created = 0;
    return orders().map((order) => {
      const decision = matchEshopOrder(index, order, settings);
      if (decision.outcome !== 'create')
        return [
          order.orderId,
          decision.outcome,
          'clientId' in decision ? decision.clientId : null,
          'matchedBy' in decision ? decision.matchedBy : null,
        ];
      created += 1;
      index.put(matchableFromDraft(`new-${created}`, `2026-12-01T00:00:0${created}Z`, decision.draft));
      expect(decision.warnings).toEqual([]);
      return [order.orderId, 'created', `new-${created}`, null];
    });
  }

  it('gives every order its documented outcome', () => {
    expect(importOrders({ prioritySearchByName: false })).toEqual([
      ['WC-5001', 'created', 'new-1', null],
      ['WC-5002', 'matched', 'new-1', 'name_email'],
      ['WC-5003', 'created', 'new-2', null],
      ['WC-5004', 'created', 'new-3', null],
      ['WC-5005', 'created', 'new-4', null],
    ]);
    expect(importOrders({ prioritySearchByName: true }).slice(0, 3)).toEqual([
      ['WC-5001', 'created', 'new-1', null],
      ['WC-5002', 'matched', 'new-1', 'name'],
      ['WC-5003', 'matched', 'new-1', 'name'],
    ]);
  });

  it('creates WC-5001 as the person and WC-5004 as the company', () => {
    const settings = { prioritySearchByName: false };
    expect(matchEshopOrder(new MatchingIndex(), orders()[0], settings)).toMatchObject({
      outcome: 'create',
      draft: {
        kind: 'person',
        firstName: 'Jonas',
        lastName: 'Jonaitis',
        email: 'jonas.jonaitis@example.com',
        phone: '+37061111222',
        residency: 'resident',
        addresses: [{ line1: 'Tilžės g. 60', city: 'Šiauliai', postalCode: '76290', country: 'LT' }],
      },
    });
    expect(matchEshopOrder(new MatchingIndex(), orders()[3], settings)).toMatchObject({
      outcome: 'create',
      draft: {
        kind: 'company',
        name: 'MB Saulėta Diena',
        code: '305627344',
        vatCode: 'LT305612812',
        firstName: null,
      },
    });
  });

  it('matches WC-5005 only to Šarūnas Petrauskas with the same e-mail', () => {
    const index = new MatchingIndex();
    index.put({
      id: 'bank',
      createdAt: '2026-01-01T00:00:00Z',
      kind: 'person',
      name: 'Sarunas Petrauskas',
      code: null,
      ibans: [],
      email: null,
    });
    expect(matchEshopOrder(index, orders()[4], { prioritySearchByName: false }).outcome).toBe('create');
    index.put({
      id: 'shop',
      createdAt: '2026-01-02T00:00:00Z',
      kind: 'person',
      name: 'Šarūnas Petrauskas',
      code: null,
      ibans: [],
      email: 'SARUNAS.PETRAUSKAS@example.com',
    });
    expect(matchEshopOrder(index, orders()[4], { prioritySearchByName: false })).toMatchObject({
      clientId: 'shop',
      matchedBy: 'name_email',
    });
  });
});

describe('the sample client files', () => {
  const mapping = () => parseMapping(samples.otherAppMapping());

  it('reads the other application’s export through the mapping, every column known', () => {
    const file = parseClientCsv(samples.otherAppExport(), 'utf-8', mapping());
    expect(file.ignoredColumns).toEqual([]);
    expect(file.rows.map((r) => r.line)).toEqual([2, 3, 4, 5, 6]);
    expect(file.rows.map((r) => r.values)).toEqual(OTHER_APP_ROWS);
    expect(file.rows.map((r) => [cardOfRow(r).kind, cardOfRow(r).roles])).toEqual([
      ['company', ['buyer']],
      ['company', ['supplier']],
      ['company', ['bank']],
      ['company', ['government']],
      ['company', ['buyer']],
    ]);
  });

  it('reads the windows-1257 copy to the same rows', () => {
    expect(parseClientCsv(samples.otherAppExportWindows1257(), 'windows-1257', mapping())).toEqual(
      parseClientCsv(samples.otherAppExport(), 'utf-8', mapping()),
    );
  });

  it('reads our own headers without a mapping', () => {
    const file = parseClientCsv(samples.ourClientsCsv(), 'utf-8', NO_MAPPING);
    expect(file.ignoredColumns).toEqual([]);
    expect(file.rows.map((r) => r.values)).toEqual(OUR_CLIENT_ROWS);
    expect(file.rows.map((r) => cardOfRow(r))).toEqual([
      {
        kind: 'person',
        firstName: 'Ona',
        lastName: 'Kazlauskienė',
        code: '48605142711',
        email: 'ona.kazlauskiene@example.com',
        residency: 'resident',
        roles: ['buyer'],
        addresses: [{ line1: 'Respublikos g. 19', city: 'Panevėžys', postalCode: '35185', country: 'LT' }],
      },
      {
        kind: 'company',
        name: 'Nordic Supplies AB',
        code: '559214-7309',
        vatCode: 'SE559214730901',
        email: 'orders@nordicsupplies.example',
        phone: '+46 31 123 45 67',
        residency: 'foreign',
        roles: ['supplier'],
        addresses: [{ line1: 'Hamngatan 4, 2 tr.', city: 'Göteborg', postalCode: '411 06', country: 'SE' }],
      },
      {
        kind: 'person',
        firstName: 'Petras',
        lastName: 'Petraitis',
        code: '37809221534',
        residency: 'resident',
        roles: ['employee'],
      },
    ]);
  });
});
