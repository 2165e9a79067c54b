import { isUtf8 } from 'node:buffer';
import { UnparseableFileError } from './unparseable-file.error';

/** Bytes as UTF-8 text; a file that is not UTF-8 fails, naming its first line that is not. */
export function decodeUtf8(bytes: Buffer, hint = ''): string {
  if (!isUtf8(bytes)) {
    let line = 1;
    let start = 0;
    for (let end = bytes.indexOf(0x0a); ; end = bytes.indexOf(0x0a, start)) {
      const stop = end === -1 ? bytes.length : end;
      if (!isUtf8(bytes.subarray(start, stop))) break;
      if (end === -1) break;
      line += 1;
      start = end + 1;
    }
    throw new UnparseableFileError(
      `line ${line}: the file is declared UTF-8 but is not valid UTF-8${hint ? `; ${hint}` : ''}`,
    );
  }
  return bytes.toString('utf8');
}
