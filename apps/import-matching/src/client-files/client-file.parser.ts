import { parse } from 'csv-parse/sync';
import iconv from 'iconv-lite';
import { Readable } from 'node:stream';
import { MAX_LINES, TooManyLinesError } from '../parsing/too-many-lines.error';
import { UnparseableFileError } from '../parsing/unparseable-file.error';
import { decodeUtf8 } from '../parsing/text-decoding';
import { checkWorkbookZip } from '../parsing/zip-guard';

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

/** How our fields are named in a file: their header → our field. A Map, so no header is a built-in. */
export type HeaderMapping = ReadonlyMap<string, ClientFileField>;
export const NO_MAPPING: HeaderMapping = new Map();

/** A cell longer than this is kept only this long and one more character (no field takes as many). */
export const MAX_CELL_LENGTH = 1_000;
/** Columns after this many are not read. */
export const MAX_COLUMNS = 256;
/** A CSV record longer than this many characters fails the file. */
const MAX_CSV_RECORD = 64 * 1024;

/** A `?mapping=` that is not a JSON object of their header → one of our fields. */
export class MappingError extends Error {
  readonly code = 'validation_failed';
  readonly errors: { field: string; message: string }[];
  constructor(message: string) {
    super(message);
    this.errors = [{ field: 'mapping', message }];
  }
}

const OUR_FIELDS: ReadonlyMap<string, ClientFileField> = new Map(
  CLIENT_FILE_FIELDS.map((field) => [field.toLowerCase(), field]),
);

export function parseMapping(json: string | undefined): HeaderMapping {
  if (!json) return NO_MAPPING;
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new MappingError('mapping is not JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new MappingError('mapping is a JSON object: { "<their header>": "<our field>" }');
  const mapping = new Map<string, ClientFileField>();
  for (const [theirs, ours] of Object.entries(value)) {
    const field = typeof ours === 'string' ? CLIENT_FILE_FIELDS.find((f) => f === ours) : undefined;
    if (!field) {
      throw new MappingError(
        `"${theirs.slice(0, 100)}" maps to a value that is not one of ${CLIENT_FILE_FIELDS.join(', ')}`,
      );
    }
    mapping.set(theirs.trim(), field);
  }
  return mapping;
}

/** Which of our fields each column fills: the mapping first, then our own field names (any case). */
function columnsOf(headers: readonly string[], mapping: HeaderMapping) {
  const ignored: string[] = [];
  const columns = headers.map((header) => {
    const name = header.replace(/^\uFEFF/, '').trim();
    const field = mapping.get(name) ?? OUR_FIELDS.get(name.toLowerCase()) ?? null;
    if (!field) ignored.push(name.slice(0, 100));
    return field;
  });
  if (columns.every((c) => c === null)) {
    throw new UnparseableFileError(
      `line 1: no column maps to a client field (headers: ${ignored.slice(0, 20).join(', ')}); give ?mapping=`,
    );
  }
  return { columns, ignored };
}

const capped = (cell: string): string =>
  cell.length > MAX_CELL_LENGTH ? cell.slice(0, MAX_CELL_LENGTH + 1) : cell;

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
        if (field && cell) values[field] = capped(cell);
      });
      return { line: record.line, values };
    });
}

// csv-parse's own messages quote the file; ours name the line and the kind of fault only.
const CSV_FAULTS: Readonly<Record<string, string>> = {
  CSV_QUOTE_NOT_CLOSED: 'a quoted field is never closed',
  CSV_INVALID_OPENING_QUOTE: 'a quote opens in the middle of a field',
  CSV_INVALID_CLOSING_QUOTE: 'a quoted field goes on after its closing quote',
  CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE: 'a quoted field goes on after its closing quote',
  CSV_MAX_RECORD_SIZE: `a row is longer than ${MAX_CSV_RECORD.toLocaleString('en')} characters`,
};

/** CSV: UTF-8 (with or without BOM) or an older Lithuanian charset; comma or semicolon; quotes; CRLF. */
export function parseClientCsv(bytes: Buffer, charset: Charset, mapping: HeaderMapping): ClientFile {
  const text =
    charset === 'utf-8'
      ? decodeUtf8(bytes, 'send it as text/csv; charset=windows-1257 if it came from older software')
      : iconv.decode(bytes, charset);
  const body = text.replace(/^\uFEFF/, '');
  if (body.trim() === '') throw new UnparseableFileError('line 1: the file is empty');
  const headerLine = body.split(/\r?\n/, 1)[0];
  const delimiter = (headerLine.match(/;/g)?.length ?? 0) > (headerLine.match(/,/g)?.length ?? 0) ? ';' : ',';
  let parsed: { record: string[]; info: { lines: number } }[];
  let lastRecordEnd = 0;
  try {
    // With `info`, each record comes with where it ends in the file (csv-parse's typings miss it).
    parsed = parse(body, {
      delimiter,
      relax_column_count: true,
      info: true,
      skip_empty_lines: true,
      bom: true,
      max_record_size: MAX_CSV_RECORD,
      on_record: (record, context) => {
        lastRecordEnd = context.lines;
        return record;
      },
    }) as unknown as typeof parsed;
  } catch (error) {
    const { code, lines } = error as { code?: string; lines?: number };
    // An unclosed quote is found at the end of the file; the row it spoils starts after the last good one.
    const line = code === 'CSV_QUOTE_NOT_CLOSED' ? lastRecordEnd + 1 : (lines ?? lastRecordEnd + 1);
    throw new UnparseableFileError(`line ${line}: ${CSV_FAULTS[code ?? ''] ?? 'the line is not valid CSV'}`);
  }
  const [header, ...data] = parsed;
  const { columns, ignored } = columnsOf(header.record.slice(0, MAX_COLUMNS), mapping);
  // A row is named by the line it starts on: the line after the previous record ended.
  const records = data.map((r, i) => ({
    line: (i === 0 ? header.info.lines : data[i - 1].info.lines) + 1,
    cells: r.record,
  }));
  return { rows: toRows(records, columns), ignoredColumns: ignored };
}

/**
 * XLSX: the first sheet, the first row with anything in it its headers. The zip is checked before
 * anything inflates (zip-guard.ts), then read as a stream, stopping past MAX_LINES rows.
 */
export async function parseClientXlsx(bytes: Buffer, mapping: HeaderMapping): Promise<ClientFile> {
  await checkWorkbookZip(bytes);
  // Loaded when a workbook comes (a third of a second): statements and CSV files do without it.
  const { default: ExcelJS } = await import('exceljs');
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([bytes]), {
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'ignore',
    worksheets: 'emit',
    entries: 'ignore',
  });
  const rows: { line: number; cells: string[] }[] = [];
  let sheets = 0;
  try {
    for await (const sheet of reader) {
      sheets += 1;
      for await (const row of sheet) {
        // Only the first sheet counts; the others are read past, as the reader needs.
        if (sheets > 1) continue;
        const cells: string[] = [];
        for (let column = 1; column <= Math.min(row.cellCount, MAX_COLUMNS); column += 1)
          cells.push(capped(row.getCell(column).text ?? ''));
        if (cells.every((cell) => cell.trim() === '')) continue;
        rows.push({ line: row.number, cells });
        // The header and one row more than a file may hold: enough to refuse it.
        if (rows.length > MAX_LINES + 1) throw new TooManyLinesError('rows');
      }
    }
  } catch (error) {
    if (error instanceof TooManyLinesError || error instanceof UnparseableFileError) throw error;
    throw new UnparseableFileError('not an .xlsx workbook: its sheet could not be read');
  }
  if (rows.length === 0) throw new UnparseableFileError('the workbook’s first sheet is empty (row 1)');
  const [header, ...data] = rows;
  const { columns, ignored } = columnsOf(header.cells, mapping);
  return { rows: toRows(data, columns), ignoredColumns: ignored };
}
