import { Injectable } from '@nestjs/common';

/**
 * Lets tests hold a client's write at the last moment before it is stored (to line a merge up
 * against it). Never set in production.
 */
@Injectable()
export class CommandFaults {
  holdBeforeAppend: { clientId: string; reached: () => void; until: Promise<void> } | null = null;

  async beforeAppend(clientId: string): Promise<void> {
    const hold = this.holdBeforeAppend;
    if (hold?.clientId !== clientId) return;
    this.holdBeforeAppend = null;
    hold.reached();
    await hold.until;
  }
}
