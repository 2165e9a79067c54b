// The API's error codes as a catalogue (API.md "Error codes"): the OpenAPI lists them and the
// knowledge base has an article for each. Which status a code answers with is each service's own.

/** Every error code of the API (API.md "Error codes"): each has its help article. */
export const API_ERROR_CODES = [
  'unauthorized',
  'forbidden',
  'not_found',
  'validation_failed',
  'non_unique_entry',
  'version_conflict',
  'client_deleted',
  'client_has_operations',
  'own_company',
  'merge_blocked',
  'already_imported',
  'no_counterparty',
  'unparseable_file',
  'payload_too_large',
  'rate_limited',
  'unsupported_media_type',
  'status_in_use',
  'client_not_active',
  'unavailable',
  'internal',
] as const;

/** Where the knowledge base explains an error code: `non_unique_entry` → `/v1/kb/articles/error-non-unique-entry`. */
export const helpFor = (code: string): string => `/v1/kb/articles/error-${code.replace(/_/g, '-')}`;
