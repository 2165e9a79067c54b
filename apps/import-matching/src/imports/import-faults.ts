import { Injectable } from '@nestjs/common';

/**
 * Lets tests stop an import where a killed process would: after a line's effects (client created,
 * operation recorded) and before its outcome is stored. Never set in production.
 */
@Injectable()
export class ImportFaults {
  failBeforeSavingLine: number | null = null;

  check(index: number): void {
    if (this.failBeforeSavingLine === index) {
      this.failBeforeSavingLine = null;
      throw new Error(`import stopped before saving line ${index} (test fault)`);
    }
  }
}
