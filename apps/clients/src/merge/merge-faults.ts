import { Injectable } from '@nestjs/common';

export type MergeStep = 'locked' | 'recorded' | 'merged-one' | 'merged-all' | 'survivor' | 'codes';

/**
 * Lets tests stop a merge right after a step, as a crash there would. Never set in production;
 * a merge that stops this way is completed by the recovery, like one whose process died.
 */
@Injectable()
export class MergeFaults {
  failAfter: MergeStep | null = null;

  check(step: MergeStep): void {
    if (this.failAfter === step) {
      this.failAfter = null;
      throw new Error(`merge stopped after step "${step}" (test fault)`);
    }
  }
}
