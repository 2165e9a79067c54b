export type InvoiceErrorCode =
  'validation_failed' | 'not_found' | 'non_unique_entry' | 'client_not_active' | 'version_conflict';

export type InvoiceFieldError = Readonly<{ field: string; message: string }>;

/** What the invoices domain refuses, with the API's code (API.md "Error codes"). */
export class InvoiceError extends Error {
  constructor(
    readonly code: InvoiceErrorCode,
    message: string,
    readonly errors: readonly InvoiceFieldError[] = [],
  ) {
    super(message);
  }
}
