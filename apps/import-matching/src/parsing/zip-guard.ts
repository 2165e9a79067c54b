import * as yauzl from 'yauzl';
import { UnparseableFileError } from './unparseable-file.error';

/** The most one part of a workbook (a sheet, its shared strings) may inflate to. */
export const MAX_ZIP_PART_BYTES = 50 * 1024 * 1024;
/** The most all parts together may inflate to. */
export const MAX_ZIP_TOTAL_BYTES = 100 * 1024 * 1024;
/** The most parts a workbook may have. */
export const MAX_ZIP_ENTRIES = 1_000;

const LOCAL_HEADER = 0x04034b50;
const DATA_DESCRIPTOR = 0x08074b50;
const END_OF_CENTRAL_DIRECTORY = 0x06054b50;

/** A workbook that would inflate to more than a file may: the job fails with payload_too_large. */
export class ZipTooLargeError extends Error {
  readonly code = 'payload_too_large';
}

const mib = (bytes: number) => `${Math.round(bytes / (1024 * 1024))} MiB`;

type Part = { name: string; offset: number; compressedSize: number; uncompressedSize: number; flags: number };

function openZip(bytes: Buffer): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) =>
    yauzl.fromBuffer(
      bytes,
      { lazyEntries: true, validateEntrySizes: true, strictFileNames: false },
      (error, zip) =>
        error || !zip
          ? reject(new UnparseableFileError('not an .xlsx workbook (not a zip file)'))
          : resolve(zip),
    ),
  );
}

/** The parts the central directory lists, refused as soon as their declared sizes are too large. */
function partsOf(zip: yauzl.ZipFile): Promise<Part[]> {
  if (zip.entryCount > MAX_ZIP_ENTRIES)
    return Promise.reject(
      new ZipTooLargeError(`the workbook has ${zip.entryCount} parts; at most ${MAX_ZIP_ENTRIES} are read`),
    );
  return new Promise((resolve, reject) => {
    const parts: Part[] = [];
    let total = 0;
    zip.on('entry', (entry: yauzl.Entry) => {
      total += entry.uncompressedSize;
      if (entry.uncompressedSize > MAX_ZIP_PART_BYTES) {
        zip.close();
        return reject(
          new ZipTooLargeError(
            `${entry.fileName} would inflate to ${mib(entry.uncompressedSize)}; a part of a workbook may hold at most ${mib(MAX_ZIP_PART_BYTES)}`,
          ),
        );
      }
      if (total > MAX_ZIP_TOTAL_BYTES) {
        zip.close();
        return reject(
          new ZipTooLargeError(`the workbook would inflate to more than ${mib(MAX_ZIP_TOTAL_BYTES)}`),
        );
      }
      parts.push({
        name: entry.fileName,
        offset: entry.relativeOffsetOfLocalHeader,
        compressedSize: entry.compressedSize,
        uncompressedSize: entry.uncompressedSize,
        flags: entry.generalPurposeBitFlag,
      });
      zip.readEntry();
    });
    zip.on('end', () => resolve(parts));
    zip.on('error', () => reject(new UnparseableFileError('not an .xlsx workbook (a broken zip directory)')));
    zip.readEntry();
  });
}

/** Where the central directory starts, from the end-of-central-directory record. */
function centralDirectoryOffset(bytes: Buffer): number {
  for (let at = bytes.length - 22; at >= Math.max(0, bytes.length - 22 - 0xffff); at -= 1) {
    if (bytes.readUInt32LE(at) === END_OF_CENTRAL_DIRECTORY) return bytes.readUInt32LE(at + 16);
  }
  throw new UnparseableFileError('not an .xlsx workbook (no zip directory)');
}

/**
 * The parts must lie end to end from the first byte to the directory: a streaming reader reads
 * the file front to back and would also inflate whatever hid between them, unchecked.
 */
function checkNothingHidden(bytes: Buffer, parts: readonly Part[]): void {
  const hidden = () => new UnparseableFileError('not an .xlsx workbook (data outside its zip directory)');
  let expected = 0;
  for (const part of [...parts].sort((a, b) => a.offset - b.offset)) {
    if (part.offset !== expected || part.offset + 30 > bytes.length) throw hidden();
    if (bytes.readUInt32LE(part.offset) !== LOCAL_HEADER) throw hidden();
    const dataStart =
      part.offset + 30 + bytes.readUInt16LE(part.offset + 26) + bytes.readUInt16LE(part.offset + 28);
    expected = dataStart + part.compressedSize;
    // Bit 3: sizes follow the data in a descriptor (with or without its signature).
    if (part.flags & 0x8) {
      if (expected + 4 <= bytes.length && bytes.readUInt32LE(expected) === DATA_DESCRIPTOR) expected += 4;
      expected += 12;
    }
  }
  if (expected !== centralDirectoryOffset(bytes)) throw hidden();
}

/** Inflates every part and drops the bytes: yauzl fails a part that inflates to more than it declared. */
async function checkActualSizes(zip: yauzl.ZipFile): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    zip.on('entry', (entry: yauzl.Entry) => {
      zip.openReadStream(entry, (error, stream) => {
        if (error || !stream) return reject(error ?? new Error('no stream'));
        stream.on('error', reject);
        stream.on('data', () => undefined);
        stream.on('end', () => zip.readEntry());
      });
    });
    zip.on('end', resolve);
    zip.on('error', reject);
    zip.readEntry();
  }).catch(() => {
    zip.close();
    throw new UnparseableFileError(
      'not a sound .xlsx workbook: a part does not inflate to the size it declares',
    );
  });
}

/**
 * Checks a workbook before any reader inflates it (a zip bomb fails here, cheaply): at most
 * MAX_ZIP_ENTRIES parts of at most MAX_ZIP_PART_BYTES each by the directory, nothing hidden
 * outside the directory, and no part inflating to more than it declares.
 */
export async function checkWorkbookZip(bytes: Buffer): Promise<void> {
  const parts = partsOf(await openZip(bytes));
  checkNothingHidden(bytes, await parts);
  await checkActualSizes(await openZip(bytes));
}
