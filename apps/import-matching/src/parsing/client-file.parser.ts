import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { MAX_LINES, TooManyLinesError } from './too-many-lines.error';
import { UnparseableFileError } from './unparseable-file.error';

/** The client fields a file's columns can fill (API.md "Imports", client files). */
export const CLIENT_FILE_FIELDS = [
  'name',
  'firstName',
  'lastName',
  'kind',
  'code',
  'vatCode',
  'email',
  'phone',
  'roles',
  'residency',
  'address',
  'city',
  'postalCode',
  'country',
  'iban',
] as const;
export type ClientFileField = (typeof CLIENT_FILE_FIELDS)[number];

export type ClientFileRow = Readonly<{
  line: number;
  values: Readonly<Partial<Record<ClientFileField, string>>>;
}>;
export type ClientFile = Readonly<{ rows: readonly ClientFileRow[]; ignoredColumns: readonly string[] }>;

export const CHARSETS = ['utf-8', 'windows-1257', 'iso-8859-13'] as const;
export type Charset = (typeof CHARSETS)[number];

/** A `?mapping=` that is not a JSON object of their header → one of our fields. */
export class MappingError extends Error {
  readonly code = 'validation_failed';
  readonly errors: { field: string; message: string }[];
  constructor(message: string) {
    super(message);
    this.errors = [{ field: 'mapping', message }];
  }
}

export function parseMapping(json: string | undefined): Record<string, ClientFileField> {
  if (!json) return {};
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new MappingError('mapping is not JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new MappingError('mapping is a JSON object: { "<their header>": "<our field>" }');
  const mapping: Record<string, ClientFileField> = {};
  for (const [theirs, ours] of Object.entries(value)) {
    if (typeof ours !== 'string' || !(CLIENT_FILE_FIELDS as readonly string[]).includes(ours)) {
      throw new MappingError(
        `"${theirs}" maps to ${JSON.stringify(ours)}, which is not one of ${CLIENT_FILE_FIELDS.join(', ')}`,
      );
    }
    mapping[theirs.trim()] = ours as ClientFileField;
  }
  return mapping;
}

/** Which of our fields each column fills: the mapping first, then our own field names (any case). */
function columnsOf(headers: readonly string[], mapping: Record<string, ClientFileField>) {
  const ours = new Map(CLIENT_FILE_FIELDS.map((f) => [f.toLowerCase(), f]));
  const ignored: string[] = [];
  const columns = headers.map((header) => {
    const name = header.replace(/^\uFEFF/, '').trim();
    const field = mapping[name] ?? ours.get(name.toLowerCase()) ?? null;
    if (!field) ignored.push(name);
    return field;
  });
  if (columns.every((c) => c === null)) {
    throw new UnparseableFileError(
      `line 1: no column maps to a client field (headers: ${headers.join(', ')}); give ?mapping=`,
    );
  }
  return { columns, ignored };
}

function toRows(
  records: readonly { line: number; cells: readonly string[] }[],
  columns: readonly (ClientFileField | null)[],
): ClientFileRow[] {
  if (records.length > MAX_LINES) throw new TooManyLinesError('rows');
  return records
    .filter((record) => record.cells.some((cell) => cell.trim() !== ''))
    .map((record) => {
      const values: Partial<Record<ClientFileField, string>> = {};
      columns.forEach((field, i) => {
        const cell = record.cells[i]?.trim();
        if (field && cell) values[field] = cell;
      });
      return { line: record.line, values };
    });
}

/** CSV: UTF-8 (with or without BOM) or an older Lithuanian charset; comma or semicolon; quotes; CRLF. */
export function parseClientCsv(
  bytes: Buffer,
  charset: Charset,
  mapping: Record<string, ClientFileField>,
): ClientFile {
  const text = charset === 'utf-8' ? bytes.toString('utf8') : iconv.decode(bytes, charset);
  const body = text.replace(/^\uFEFF/, '');
  if (body.trim() === '') throw new UnparseableFileError('line 1: the file is empty');
  const headerLine = body.split(/\r?\n/, 1)[0];
  const delimiter = (headerLine.match(/;/g)?.length ?? 0) > (headerLine.match(/,/g)?.length ?? 0) ? ';' : ',';
  let parsed: { record: string[]; info: { lines: number } }[];
  try {
    // With `info`, each record comes with where it ends in the file (csv-parse's typings miss it).
    parsed = parse(body, {
      delimiter,
      relax_column_count: true,
      info: true,
      skip_empty_lines: true,
      bom: true,
    }) as unknown as typeof parsed;
  } catch (error) {
    const line = (error as { lines?: number }).lines;
    throw new UnparseableFileError(
      `line ${line ?? '?'}: ${(error as Error).message.replace(/^Invalid Record Length: /, '')}`,
    );
  }
  const [header, ...data] = parsed;
  const { columns, ignored } = columnsOf(header.record, mapping);
  // A row is named by the line it starts on: the line after the previous record ended.
  const records = data.map((r, i) => ({
    line: (i === 0 ? header.info.lines : data[i - 1].info.lines) + 1,
    cells: r.record,
  }));
  return { rows: toRows(records, columns), ignoredColumns: ignored };
}

/** XLSX: the first sheet, the first row its headers. */
export async function parseClientXlsx(
  bytes: Buffer,
  mapping: Record<string, ClientFileField>,
): Promise<ClientFile> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch (error) {
    throw new UnparseableFileError(`not an .xlsx workbook: ${(error as Error).message}`);
  }
  const sheet = workbook.worksheets[0];
  if (!sheet || sheet.rowCount === 0)
    throw new UnparseableFileError('the workbook’s first sheet is empty (row 1)');
  const rows: { line: number; cells: string[] }[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: string[] = [];
    for (let column = 1; column <= sheet.columnCount; column += 1) cells.push(row.getCell(column).text ?? '');
    rows.push({ line: rowNumber, cells });
  });
  const [header, ...data] = rows;
  const { columns, ignored } = columnsOf(header.cells, mapping);
  return { rows: toRows(data, columns), ignoredColumns: ignored };
}
