import type { ProblemCodes } from '@clientbook/platform';

/** The statuses of the invoices service's own error codes (API.md "Error codes"); the rest are common. */
export const INVOICE_PROBLEM_CODES: ProblemCodes = {
  non_unique_entry: 409,
  client_not_active: 409,
};
