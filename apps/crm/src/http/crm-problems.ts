import type { ProblemCodes } from '@clientbook/platform';

/** The statuses of the CRM's own error codes (API.md "Error codes"); the rest are common. */
export const CRM_PROBLEM_CODES: ProblemCodes = {
  status_in_use: 409,
  client_deleted: 410,
};
