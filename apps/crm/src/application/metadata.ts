import type { EventMetadata } from '@clientbook/contracts';
import type { Caller } from '@clientbook/platform';

/** The metadata of a caller's change: who, and the request it belongs to. */
export const metadataOf = (caller: Caller): EventMetadata => ({
  actor: caller.actor,
  correlationId: caller.correlationId,
  causationId: null,
});
