import type { ProblemCodes } from '@clientbook/platform';

/** The statuses of import-matching's own error codes (API.md "Error codes"); the rest are common. */
export const IMPORT_PROBLEM_CODES: ProblemCodes = {
  unparseable_file: 422,
};
