/** A field-level problem, named as API consumers name the field. */
export type FieldError = Readonly<{ field: string; message: string }>;

export type CrmErrorCode =
  'validation_failed' | 'not_found' | 'status_in_use' | 'forbidden' | 'version_conflict';

/** A CRM rejection with a stable code; mapped once to problem+json at the edge. */
export class CrmError extends Error {
  constructor(
    readonly code: CrmErrorCode,
    message: string,
    readonly errors: readonly FieldError[] = [],
  ) {
    super(message);
    this.name = 'CrmError';
  }

  static validation(errors: readonly FieldError[]): CrmError {
    return new CrmError(
      'validation_failed',
      errors.map((e) => `${e.field}: ${e.message}`).join('; '),
      errors,
    );
  }
}
