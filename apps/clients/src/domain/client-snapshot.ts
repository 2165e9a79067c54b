import { EventEnvelope, toClientEvent } from '@clientbook/contracts';
import { evolve } from './client-state';
import type { Client } from './client-state';

/** A client as of a version of its stream: its state, and when it was made and last changed. */
export type ClientSnapshot = Readonly<{
  id: string;
  client: Client | null;
  version: number;
  createdAt: string | null;
  updatedAt: string | null;
}>;

export const emptySnapshot = (id: string): ClientSnapshot => ({
  id,
  client: null,
  version: 0,
  createdAt: null,
  updatedAt: null,
});

/** Folds stored events onto a snapshot: the one way state is rebuilt, for commands, reads and the card. */
export function foldEnvelopes(snapshot: ClientSnapshot, envelopes: readonly EventEnvelope[]): ClientSnapshot {
  return envelopes.reduce<ClientSnapshot>((current, envelope) => {
    const event = toClientEvent(envelope);
    return {
      ...current,
      client: event ? evolve(current.client, event) : current.client,
      version: envelope.aggregateVersion,
      ...stampTimes(current, envelope),
    };
  }, snapshot);
}

/** The envelope's time becomes the card's `updatedAt` (and `createdAt` on the first). */
export function stampTimes(
  snapshot: Pick<ClientSnapshot, 'createdAt' | 'updatedAt'>,
  event: Pick<EventEnvelope, 'occurredAt'>,
): { createdAt: string; updatedAt: string } {
  return { createdAt: snapshot.createdAt ?? event.occurredAt, updatedAt: event.occurredAt };
}
