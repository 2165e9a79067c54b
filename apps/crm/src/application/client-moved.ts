/** A path named a merged client: the same path on its survivor answers (308). */
export class ClientMovedError extends Error {
  constructor(readonly survivorId: string) {
    super(`the client was merged into ${survivorId}`);
  }
}
