import { Injectable } from '@nestjs/common';

export type MergeStep = 'locked' | 'recorded' | 'merged-one' | 'merged-all' | 'survivor' | 'codes';

/**
 * Lets tests stop a merge right after a step, as a crash there would, or hold it there until
 * they let it go (to line another request up against it). Never set in production; a merge that
 * stops this way is completed by the recovery, like one whose process died.
 */
@Injectable()
export class MergeFaults {
  failAfter: MergeStep | null = null;
  holdAfter: { step: MergeStep; reached: () => void; until: Promise<void> } | null = null;

  async check(step: MergeStep): Promise<void> {
    const hold = this.holdAfter;
    if (hold?.step === step) {
      this.holdAfter = null;
      hold.reached();
      await hold.until;
    }
    if (this.failAfter === step) {
      this.failAfter = null;
      throw new Error(`merge stopped after step "${step}" (test fault)`);
    }
  }
}
