/** A field-level problem, named as API consumers name the field. */
export type FieldError = Readonly<{ field: string; message: string }>;

export type CrmErrorCode =
  'validation_failed' | 'not_found' | 'status_in_use' | 'forbidden' | 'version_conflict' | 'client_merged';

/** A CRM rejection with a stable code; mapped once to problem+json at the edge. */
export class CrmError extends Error {
  constructor(
    readonly code: CrmErrorCode,
    message: string,
    readonly errors: readonly FieldError[] = [],
    /** For `client_merged`: the client it went to. */
    readonly survivorId: string | null = null,
  ) {
    super(message);
    this.name = 'CrmError';
  }

  /** The client was merged: what is asked of it is asked of the survivor. */
  static merged(survivorId: string): CrmError {
    return new CrmError('client_merged', `the client was merged into ${survivorId}`, [], survivorId);
  }

  static validation(errors: readonly FieldError[]): CrmError {
    return new CrmError(
      'validation_failed',
      errors.map((e) => `${e.field}: ${e.message}`).join('; '),
      errors,
    );
  }
}
