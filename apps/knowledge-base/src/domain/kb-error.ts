/** A field-level problem, named as API consumers name the field. */
export type FieldError = Readonly<{ field: string; message: string }>;

export type KbErrorCode =
  | 'validation_failed'
  | 'not_found'
  | 'non_unique_entry'
  | 'version_conflict'
  | 'unsupported_media_type'
  | 'payload_too_large';

/** A knowledge-base rejection with a stable code; mapped once to problem+json at the edge. */
export class KbError extends Error {
  constructor(
    readonly code: KbErrorCode,
    message: string,
    readonly errors: readonly FieldError[] = [],
  ) {
    super(message);
    this.name = 'KbError';
  }

  static validation(errors: readonly FieldError[]): KbError {
    return new KbError('validation_failed', errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors);
  }
}
