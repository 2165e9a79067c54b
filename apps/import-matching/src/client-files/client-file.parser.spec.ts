import {
  INVALID_IDS,
  otherAppExport,
  otherAppExportWindows1257,
  otherAppMapping,
  ourClientsCsv,
} from '@clientbook/testing';
import ExcelJS from 'exceljs';
import { NO_MAPPING, parseClientCsv, parseClientXlsx, parseMapping } from './client-file.parser';
import { MAX_LINES } from '../parsing/too-many-lines.error';

// The project's own sample client files (libs/testing).
const mapping = () => parseMapping(otherAppMapping());

describe('client files', () => {
  it('reads the other application’s export (UTF-8 with BOM, semicolons, CRLF) through the mapping', () => {
    const file = parseClientCsv(otherAppExport(), 'utf-8', mapping());
    expect(file.ignoredColumns).toEqual([]);
    expect(file.rows).toHaveLength(5);
    expect(file.rows[0]).toEqual({
      line: 2,
      values: {
        name: 'UAB Ąžuolo Baldai',
        code: '302910465',
        vatCode: 'LT302910419',
        email: 'info@azuolobaldai.example',
        phone: '+370 5 210 3344',
        // The header "Gatvė, namo nr." holds a comma in a semicolon file.
        address: 'Kalvarijų g. 14',
        city: 'Vilnius',
        postalCode: '09310',
        country: 'LT',
        iban: 'LT544010042500112233',
        roles: 'buyer',
      },
    });
    expect(file.rows[4]).toMatchObject({
      line: 6,
      values: {
        name: 'UAB Trumpas Kodas',
        code: INVALID_IDS.shortCompanyCode,
        iban: INVALID_IDS.lithuanianIbanBadCheck,
      },
    });
  });

  it('reads the windows-1257 copy to the same rows', () => {
    const utf8 = parseClientCsv(otherAppExport(), 'utf-8', mapping());
    expect(parseClientCsv(otherAppExportWindows1257(), 'windows-1257', mapping())).toEqual(utf8);
  });

  it('reads our own headers, comma-separated, without a mapping', () => {
    const file = parseClientCsv(ourClientsCsv(), 'utf-8', NO_MAPPING);
    expect(file.rows.map((r) => r.values)).toEqual([
      {
        kind: 'person',
        firstName: 'Ona',
        lastName: 'Kazlauskienė',
        code: '48605142711',
        email: 'ona.kazlauskiene@example.com',
        roles: 'buyer',
        residency: 'resident',
        address: 'Respublikos g. 19',
        city: 'Panevėžys',
        postalCode: '35185',
        country: 'LT',
      },
      {
        kind: 'company',
        name: 'Nordic Supplies AB',
        code: '559214-7309',
        vatCode: 'SE559214730901',
        email: 'orders@nordicsupplies.example',
        phone: '+46 31 123 45 67',
        roles: 'supplier',
        residency: 'foreign',
        // A quoted cell with a comma inside.
        address: 'Hamngatan 4, 2 tr.',
        city: 'Göteborg',
        postalCode: '411 06',
        country: 'SE',
      },
      {
        kind: 'person',
        firstName: 'Petras',
        lastName: 'Petraitis',
        code: '37809221534',
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
