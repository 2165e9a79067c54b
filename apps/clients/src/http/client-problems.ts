import type { ProblemCodes } from '@clientbook/platform';
import type { ClientErrorCode } from '../domain';

/** The statuses of the clients service's own error codes (API.md "Error codes"); the rest are common. */
export const CLIENT_PROBLEM_CODES: ProblemCodes &
  Record<
    Exclude<ClientErrorCode, 'validation_failed' | 'not_found' | 'version_conflict'> | 'merge_blocked',
    number
  > = {
  client_deleted: 410,
  client_not_active: 409,
  client_has_operations: 409,
  own_company: 409,
  non_unique_entry: 409,
  merge_blocked: 409,
};
