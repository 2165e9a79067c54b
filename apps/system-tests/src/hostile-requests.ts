import * as http from 'node:http';
import { Readable } from 'node:stream';
import * as yazl from 'yazl';

/**
 * A request sent exactly as written — `fetch` would resolve `..` and re-encode the target before
 * sending it, which is what an attacker's own client does not do.
 */
export function rawRequest(
  baseUrl: string,
  method: string,
  target: string,
  options: { headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: any }> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const request = http.request(
      { host: hostname, port, method, path: target, headers: options.headers },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown = text;
          try {
            body = text ? JSON.parse(text) : null;
          } catch {
            // not JSON
          }
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body });
        });
      },
    );
    request.on('error', reject);
    request.end(options.body);
  });
}

const CONTENT_TYPES =
  '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
  '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
  '<Default Extension="xml" ContentType="application/xml"/>' +
  '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
  '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' +
  '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>' +
  '</Types>';
const ROOT_RELS =
  '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
  '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>' +
  '</Relationships>';
const WORKBOOK =
  '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ' +
  'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>' +
  '<sheet name="Clients" sheetId="1" r:id="rId1"/></sheets></workbook>';
const WORKBOOK_RELS =
  '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
  '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>' +
  '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>' +
  '</Relationships>';
// Header "name" and one row whose name is shared string 1: the bomb.
const SHEET =
  '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>' +
  '<row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="2"><c r="A2" t="s"><v>1</v></c></row>' +
  '</sheetData></worksheet>';

/** `size` bytes of the letter A, in 1 MiB chunks, never all in memory. */
function letters(size: number): Readable {
  const chunk = Buffer.alloc(1024 * 1024, 'A');
  let left = size;
  return new Readable({
    read() {
      if (left <= 0) return this.push(null);
      const next = Math.min(left, chunk.length);
      left -= next;
      this.push(next === chunk.length ? chunk : chunk.subarray(0, next));
    },
  });
}

/**
 * An .xlsx workbook whose one cell inflates to `cellBytes` bytes (a zip bomb: 400 MiB deflate to
 * about 400 KB). Built here, never committed.
 */
export async function zipBombWorkbook(cellBytes: number): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  zip.addBuffer(Buffer.from(CONTENT_TYPES), '[Content_Types].xml');
  zip.addBuffer(Buffer.from(ROOT_RELS), '_rels/.rels');
  zip.addBuffer(Buffer.from(WORKBOOK), 'xl/workbook.xml');
  zip.addBuffer(Buffer.from(WORKBOOK_RELS), 'xl/_rels/workbook.xml.rels');
  zip.addBuffer(Buffer.from(SHEET), 'xl/worksheets/sheet1.xml');
  const head = Buffer.from(
    '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="2" uniqueCount="2"><si><t>name</t></si><si><t>',
  );
  const tail = Buffer.from('</t></si></sst>');
  const body = Readable.from(
    (async function* () {
      yield head;
      for await (const chunk of letters(cellBytes)) yield chunk as Buffer;
      yield tail;
    })(),
  );
  zip.addReadStream(body, 'xl/sharedStrings.xml', { size: head.length + cellBytes + tail.length });
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * The same zip with the central directory claiming `declared` uncompressed bytes for `entry`:
 * a bomb that lies about its size.
 */
export function withDeclaredSize(zip: Buffer, entry: string, declared: number): Buffer {
  const patched = Buffer.from(zip);
  for (let at = patched.lastIndexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02])); at >= 0;) {
    const nameLength = patched.readUInt16LE(at + 28);
    const name = patched.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    if (name === entry) {
      patched.writeUInt32LE(declared, at + 24);
      return patched;
    }
    at = patched.lastIndexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]), at - 1);
  }
  throw new Error(`no entry ${entry} in the zip`);
}
