/** Another command appended to the stream after the caller read it. */
export class VersionConflictError extends Error {
  readonly code = 'version_conflict';

  constructor(
    readonly aggregateId: string,
    readonly expectedVersion: number,
  ) {
    super(`stream ${aggregateId} is no longer at version ${expectedVersion}`);
    this.name = 'VersionConflictError';
  }
}

export function isDuplicateKeyError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 11000;
}
