/** Who caused an event: an API key of a tenant, the operator, or the system itself (imports, merges). */
export type Actor = Readonly<{
  kind: 'api_key' | 'operator' | 'system';
  id: string;
  role?: 'admin' | 'user' | 'auditor';
}>;

/** What every stored and published event carries (ARCHITECTURE.md "Event sourcing rules"). */
export type EventEnvelope<TType extends string = string, TData = unknown> = Readonly<{
  eventId: string;
  type: TType;
  schemaVersion: number;
  tenantId: string;
  aggregateType: string;
  aggregateId: string;
  aggregateVersion: number;
  occurredAt: string;
  actor: Actor;
  correlationId: string;
  causationId: string | null;
  data: TData;
}>;

/** The metadata a command brings along; the event store stamps it on every event it stores. */
export type EventMetadata = Readonly<{
  actor: Actor;
  correlationId: string;
  causationId: string | null;
}>;

/** The Kafka message key of an event: one aggregate's events share a partition and stay in order. */
export function messageKey(envelope: Pick<EventEnvelope, 'tenantId' | 'aggregateId'>): string {
  return `${envelope.tenantId}:${envelope.aggregateId}`;
}
