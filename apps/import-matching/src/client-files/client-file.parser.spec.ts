import ExcelJS from 'exceljs';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { NO_MAPPING, parseClientCsv, parseClientXlsx, parseMapping } from './client-file.parser';
import { MAX_LINES } from '../parsing/too-many-lines.error';

const SHARED = path.resolve(__dirname, '..', '..', '..', '..', '..', 'shared');
const bytes = (file: string) => fs.readFileSync(path.join(SHARED, 'fixtures/clients', file));
const mapping = () => parseMapping(bytes('other-app-export.mapping.json').toString('utf8'));

describe('client files', () => {
  it('reads the other application’s export (UTF-8 with BOM, semicolons, CRLF) through the mapping', () => {
    const file = parseClientCsv(bytes('other-app-export.csv'), 'utf-8', mapping());
    expect(file.ignoredColumns).toEqual([]);
    expect(file.rows).toHaveLength(5);
    expect(file.rows[0]).toEqual({
      line: 2,
      values: {
        name: 'UAB Medžio Darbai',
        code: '302345678',
        vatCode: 'LT302345610',
        email: 'info@medziodarbai.lt',
        phone: '+37052000000',
        address: 'Savanorių pr. 5',
        city: 'Vilnius',
        postalCode: '03116',
        country: 'LT',
        iban: 'LT514010051000111222',
        roles: 'buyer',
      },
    });
    expect(file.rows[4]).toMatchObject({
      line: 6,
      values: { name: 'Blogas Kodas UAB', code: '12345', iban: 'LT000000000000000000' },
    });
  });

  it('reads the windows-1257 copy to the same rows', () => {
    const utf8 = parseClientCsv(bytes('other-app-export.csv'), 'utf-8', mapping());
    expect(parseClientCsv(bytes('other-app-export-windows-1257.csv'), 'windows-1257', mapping())).toEqual(
      utf8,
    );
  });

  it('reads our own headers, comma-separated, without a mapping', () => {
    const file = parseClientCsv(bytes('clients.csv'), 'utf-8', NO_MAPPING);
    expect(file.rows.map((r) => r.values)).toEqual([
      {
        kind: 'person',
        firstName: 'Ona',
        lastName: 'Kazlauskienė',
        code: '49002150127',
        email: 'ona.k@example.lt',
        roles: 'buyer',
        residency: 'resident',
        city: 'Klaipėda',
        country: 'LT',
      },
      {
        kind: 'company',
        name: 'Nordic Supplies AB',
        code: '5567890123',
        roles: 'supplier',
        residency: 'foreign',
        city: 'Stockholm',
        country: 'SE',
      },
      {
        kind: 'person',
        firstName: 'Petras',
        lastName: 'Petraitis',
        code: '38001010010',
        roles: 'employee',
        residency: 'resident',
        city: 'Vilnius',
        country: 'LT',
      },
    ]);
  });

  it('reads quoted fields with the delimiter, quotes and line breaks inside', () => {
    const csv = 'name,notes_ignored,city\r\n"UAB ""Kabutės"", filialas","a\r\nb",Vilnius\r\n';
    const file = parseClientCsv(Buffer.from(csv), 'utf-8', NO_MAPPING);
    expect(file.rows).toEqual([{ line: 2, values: { name: 'UAB "Kabutės", filialas', city: 'Vilnius' } }]);
    expect(file.ignoredColumns).toEqual(['notes_ignored']);
  });

  it('names the line of a broken CSV and refuses a file no column of which it knows', () => {
    expect(() => parseClientCsv(Buffer.from('name,city\n"unclosed,Vilnius\n'), 'utf-8', NO_MAPPING)).toThrow(
      expect.objectContaining({ code: 'unparseable_file', message: expect.stringMatching(/^line \d+: /) }),
    );
    expect(() => parseClientCsv(Buffer.from('foo;bar\n1;2\n'), 'utf-8', NO_MAPPING)).toThrow(
      expect.objectContaining({
        code: 'unparseable_file',
        message: expect.stringContaining('no column maps'),
      }),
    );
    expect(() => parseClientCsv(Buffer.from(''), 'utf-8', NO_MAPPING)).toThrow(
      expect.objectContaining({ code: 'unparseable_file' }),
    );
  });

  it('takes 100,000 rows and refuses one more as payload_too_large', () => {
    const csv = (rows: number) => Buffer.from(`name\n${'UAB Eilutė\n'.repeat(rows)}`);
    expect(parseClientCsv(csv(MAX_LINES), 'utf-8', NO_MAPPING).rows).toHaveLength(MAX_LINES);
    expect(() => parseClientCsv(csv(MAX_LINES + 1), 'utf-8', NO_MAPPING)).toThrow(
      expect.objectContaining({
        code: 'payload_too_large',
        message: expect.stringContaining('100,000 rows'),
      }),
    );
  });

  it('reads the first sheet of a workbook', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Klientai');
    sheet.addRow(['Pavadinimas', 'Įmonės kodas', 'Šalis']);
    sheet.addRow(['UAB Medžio Darbai', '302345678', 'LT']);
    sheet.addRow([]);
    sheet.addRow(['Nordic Supplies AB', '5567890123', 'SE']);
    workbook.addWorksheet('Other').addRow(['ignored']);
    const buffer = Buffer.from(await workbook.xlsx.writeBuffer());
    const file = await parseClientXlsx(buffer, mapping());
    expect(file.rows).toEqual([
      { line: 2, values: { name: 'UAB Medžio Darbai', code: '302345678', country: 'LT' } },
      { line: 4, values: { name: 'Nordic Supplies AB', code: '5567890123', country: 'SE' } },
    ]);
    await expect(parseClientXlsx(Buffer.from('not a zip'), NO_MAPPING)).rejects.toMatchObject({
      code: 'unparseable_file',
    });
  });

  it.each([
    ['not JSON', '{'],
    ['not an object', '["name"]'],
    ['an unknown field', '{"Pavadinimas":"title"}'],
  ])('refuses a mapping that is %s', (_name, json) => {
    expect(() => parseMapping(json)).toThrow(expect.objectContaining({ code: 'validation_failed' }));
  });
});
