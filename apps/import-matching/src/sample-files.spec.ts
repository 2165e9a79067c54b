import {
  isCountryCode,
  validateCompanyCode,
  validateIban,
  validatePersonalCode,
  validateVatCode,
} from '@clientbook/identifiers';
import { composeIBAN } from 'ibantools';
import * as samples from '@clientbook/testing';
import { parseCamt053 } from './bank-statements/camt053.parser';

// The sample inputs' own checks: every identifier valid, or invalid exactly where it is meant to
// be. What the files make when imported is asserted by the specs of each use case and the system
// tests.

const {
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

  it('gives the same counterparties other refs in a second statement', () => {
    const other = parseCamt053(
      samples.sampleStatement({ statementId: 'CB-2026-03-B', refPrefix: 'CB-B-2603-' }),
    );
    expect(other.map((l) => l.ref)).toEqual(lines().map((l) => l.ref.replace('CB-2603-', 'CB-B-2603-')));
    expect(other.map((l) => l.counterparty)).toEqual(lines().map((l) => l.counterparty));
  });
});
