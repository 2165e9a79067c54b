import { etagOf, parseIfMatch as parseVersion } from '@clientbook/platform';

/** `If-Match: "3"` (or W/"3", or 3) → 3; absent or `*` → null (unconditional). */
export const parseIfMatch = (header: string | undefined): number | null =>
  parseVersion(header, 'a client version');

export { etagOf };
