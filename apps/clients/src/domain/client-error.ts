/** A field-level problem, named the way API consumers name the field (`bankAccounts[0].iban`). */
export type FieldError = Readonly<{ field: string; message: string; code?: string }>;

export type ClientErrorCode =
  | 'validation_failed'
  | 'not_found'
  | 'client_deleted'
  | 'client_not_active'
  | 'client_has_operations'
  | 'own_company'
  | 'non_unique_entry'
  | 'version_conflict';

/** A business rejection with a stable code; mapped once to problem+json at the edge. */
export class ClientError extends Error {
  constructor(
    readonly code: ClientErrorCode,
    message: string,
    readonly errors: readonly FieldError[] = [],
  ) {
    super(message);
    this.name = 'ClientError';
  }

  static validation(errors: readonly FieldError[]): ClientError {
    return new ClientError(
      'validation_failed',
      errors.map((e) => `${e.field}: ${e.message}`).join('; '),
      errors,
    );
  }
}
