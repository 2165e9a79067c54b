import { Injectable } from '@nestjs/common';

/**
 * Lets tests stop an import where a killed process would: after a line's effects (client created,
 * operation recorded) and before its outcome is stored. Never set in production.
 */
@Injectable()
export class ImportFaults {
  failBeforeSavingLine: number | null = null;

  /** Throws once when the line to fail on is among lines `from` to `to` (exclusive), about to be saved. */
  check(from: number, to: number): void {
    const line = this.failBeforeSavingLine;
    if (line !== null && line >= from && line < to) {
      this.failBeforeSavingLine = null;
      throw new Error(`import stopped before saving line ${line} (test fault)`);
    }
  }
}
