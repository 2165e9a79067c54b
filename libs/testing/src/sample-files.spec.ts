import iconv from 'iconv-lite';
import { validateIBAN } from 'ibantools';
import { isUtf8 } from 'node:buffer';
import { stdnum } from 'stdnum';
import {
  FOREIGN_STATEMENT_PARTIES,
  INVALID_IDS,
  OTHER_APP_COLUMNS,
  OTHER_APP_ROWS,
  OUR_CLIENT_COLUMNS,
  OUR_CLIENT_ROWS,
  OWN_COMPANY,
  SAMPLE_ORDER_COMPANY,
  SAMPLE_STATEMENT_PARTIES,
  foreignCounterpartiesStatement,
  otherAppExport,
  otherAppExportWindows1257,
  otherAppMapping,
  ourClientsCsv,
  sampleOrders,
  sampleStatement,
  statementWithoutEntries,
} from './sample-files';

// The builders' bytes and identifiers, checked with the libraries themselves (libs/testing may not
// depend on @clientbook/identifiers; apps/import-matching/src/sample-files.spec.ts checks them with
// the project's validators and parsers).

/**
 * The check digit of a Lithuanian personal or company code (the mod-11 rule both use): the
 * weighted sum of the other digits with weights 1…9,1; a remainder of 10 tries weights 3…9,1,2,3;
 * 10 again gives 0.
 */
function lithuanianCheckDigit(digits: string): number {
  const sum = (first: number) =>
    [...digits].reduce((total, digit, i) => total + Number(digit) * (((first - 1 + i) % 9) + 1), 0) % 11;
  const once = sum(1);
  if (once !== 10) return once;
  const twice = sum(3);
  return twice === 10 ? 0 : twice;
}
const hasLithuanianCheckDigit = (code: string) =>
  lithuanianCheckDigit(code.slice(0, -1)) === Number(code.slice(-1));

/** ISO 11649 creditor reference: `RF`, two check digits, mod 97 of the rearranged text is 1. */
function isCreditorReference(ref: string): boolean {
  const digits = (ref.slice(4) + ref.slice(0, 4)).replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
  return [...digits].reduce((rest, digit) => (rest * 10 + Number(digit)) % 97, 0) === 1;
}

const lines = (buffer: Buffer, encoding: 'utf8' | 'windows-1257' = 'utf8') =>
  (encoding === 'utf8' ? buffer.toString('utf8') : iconv.decode(buffer, encoding)).split('\r\n');

describe('sample files', () => {
  describe('identifiers', () => {
    const companyCodes = [
      OWN_COMPANY.code,
      SAMPLE_STATEMENT_PARTIES.popieriausTiekimas.organisationId,
      SAMPLE_STATEMENT_PARTIES.taxAuthority.organisationId,
      SAMPLE_ORDER_COMPANY.code,
      ...OTHER_APP_ROWS.slice(0, 4).map((row) => row.code ?? ''),
    ];

    it.each(companyCodes)('company code %s has 9 digits and its mod-11 check digit', (code) => {
      expect(code).toMatch(/^\d{9}$/);
      expect(hasLithuanianCheckDigit(code)).toBe(true);
    });

    it('keeps the README’s 302345678 for UAB MEDZIO DARBAI, though its mod-11 check digit would be 4', () => {
      // The project's validator checks 9 digits only; a stricter one would refuse it.
      expect(SAMPLE_STATEMENT_PARTIES.medzioDarbai.organisationId).toBe('302345678');
      expect(lithuanianCheckDigit('30234567')).toBe(4);
    });

    it('has valid personal codes, VAT codes and the Swedish organisation number; the faulty ones fail', () => {
      expect(stdnum.LT.asmens.validate(OUR_CLIENT_ROWS[0].code ?? '').isValid).toBe(true);
      expect(stdnum.LT.asmens.validate(INVALID_IDS.personalCodeBadCheck).isValid).toBe(false);
      expect(hasLithuanianCheckDigit(INVALID_IDS.personalCodeBadCheck.slice(0, 10) + '3')).toBe(true);
      for (const vat of [SAMPLE_ORDER_COMPANY.vatCode, OTHER_APP_ROWS[0].vatCode, OTHER_APP_ROWS[2].vatCode])
        expect([vat, stdnum.LT.pvm.validate(vat ?? '').isValid]).toEqual([vat, true]);
      expect(stdnum.SE.orgnr.validate(OUR_CLIENT_ROWS[1].code ?? '').isValid).toBe(true);
      expect(stdnum.SE.vat.validate(OUR_CLIENT_ROWS[1].vatCode ?? '').isValid).toBe(true);
      expect(INVALID_IDS.shortCompanyCode).toMatch(/^\d{5}$/);
    });

    it('has valid IBANs but for the ones meant to fail', () => {
      const valid = [
        OWN_COMPANY.iban,
        ...Object.values(SAMPLE_STATEMENT_PARTIES).map((party) => party.iban),
        FOREIGN_STATEMENT_PARTIES.media.iban,
        ...OTHER_APP_ROWS.slice(0, 4).flatMap((row) => (row.iban ? [row.iban] : [])),
      ];
      for (const iban of valid) expect([iban, validateIBAN(iban).valid]).toEqual([iban, true]);
      const invalid = Object.entries(INVALID_IDS).filter(([name]) => /IbanBadCheck\d?$/.test(name));
      expect(invalid).toHaveLength(4);
      for (const [, iban] of invalid) expect([iban, validateIBAN(iban).valid]).toEqual([iban, false]);
    });

    it('gives the Swiss transaction a valid creditor reference', () => {
      expect(foreignCounterpartiesStatement()).toContain('<Ref>RF17LEMAN2026041</Ref>');
      expect(isCreditorReference('RF17LEMAN2026041')).toBe(true);
    });
  });

  describe('statements', () => {
    it.each([
      ['the sample statement', sampleStatement(), '02', 8],
      ['the foreign statement', foreignCounterpartiesStatement(), '04', 4],
      ['the statement without entries', statementWithoutEntries(), '04', 0],
    ])('builds %s as camt.053.001.%s with its entries', (_name, xml, version, entries) => {
      expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<Document /);
      expect(xml).toContain(`xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.${version}"`);
      expect(xml.match(/<Ntry>/g) ?? []).toHaveLength(entries);
    });

    it('gives a second statement other refs and another id, the same counterparties', () => {
      const other = sampleStatement({ statementId: 'CB-2026-03-B', refPrefix: 'CB-B-2603-' });
      expect(other).toContain('<Id>CB-2026-03-B</Id>');
      expect(other.match(/<AcctSvcrRef>CB-B-2603-\d{4}<\/AcctSvcrRef>/g)).toHaveLength(8);
      expect(other.replace(/CB-B-2603-/g, 'CB-2603-').replace(/CB-2026-03-B/g, 'CB-2026-03')).toBe(
        sampleStatement(),
      );
    });
  });

  describe('e-shop orders', () => {
    it('holds WC-5001 … WC-5005 in the import body’s shape', () => {
      const body = sampleOrders();
      expect(body.source).toBe('woocommerce');
      expect(body.orders.map((order) => order.orderId)).toEqual([
        'WC-5001',
        'WC-5002',
        'WC-5003',
        'WC-5004',
        'WC-5005',
      ]);
      // The e-mails of WC-5001 and WC-5002 differ only in case; WC-5003's is another.
      const [first, second, third] = body.orders.map((order) => order.customer.email);
      expect(second).not.toBe(first);
      expect(second.toLowerCase()).toBe(first);
      expect(third.toLowerCase()).not.toBe(first);
      expect(JSON.parse(JSON.stringify(body))).toEqual(body);
    });
  });

  describe('client files', () => {
    it('writes the other application’s export as UTF-8 with a BOM, semicolons and CRLF', () => {
      const bytes = otherAppExport();
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const text = bytes.toString('utf8');
      expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
      expect(lines(bytes)).toEqual([
        `\uFEFF${OTHER_APP_COLUMNS.map(([header]) => header).join(';')}`,
        ...OTHER_APP_ROWS.map((row) => OTHER_APP_COLUMNS.map(([, field]) => row[field] ?? '').join(';')),
        '',
      ]);
    });

    it('writes the same text in windows-1257, without a BOM', () => {
      const bytes = otherAppExportWindows1257();
      expect(isUtf8(bytes)).toBe(false);
      expect(bytes[0]).toBe('P'.charCodeAt(0));
      expect(`\uFEFF${iconv.decode(bytes, 'windows-1257')}`).toBe(otherAppExport().toString('utf8'));
      // Every letter survives the round trip (windows-1257 holds all of Lithuanian's).
      expect(iconv.encode(iconv.decode(bytes, 'windows-1257'), 'windows-1257')).toEqual(bytes);
    });

    it('maps each of their headers to one of our fields', () => {
      expect(JSON.parse(otherAppMapping())).toEqual(Object.fromEntries(OTHER_APP_COLUMNS));
      expect(Object.keys(JSON.parse(otherAppMapping()))).toEqual(OTHER_APP_COLUMNS.map(([header]) => header));
    });

    it('writes our own file with our field names, commas and CRLF, quoting a cell with a comma', () => {
      const bytes = ourClientsCsv();
      expect(bytes[0]).toBe('k'.charCodeAt(0));
      const [header, ona, nordic, petras, end] = lines(bytes);
      expect(header).toBe(OUR_CLIENT_COLUMNS.join(','));
      expect(ona).toContain(',Ona,Kazlauskienė,');
      expect(nordic).toContain(',"Hamngatan 4, 2 tr.",');
      expect(petras).toContain(`,${INVALID_IDS.personalCodeBadCheck},`);
      expect(end).toBe('');
    });
  });
});
