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

export type EnvelopeParseResult =
  { readonly ok: true; readonly envelope: EventEnvelope } | { readonly ok: false; readonly reason: string };

const stringFields = [
  'eventId',
  'type',
  'tenantId',
  'aggregateType',
  'aggregateId',
  'occurredAt',
  'correlationId',
] as const;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Parses a message from Kafka (raw bytes, or already JSON-decoded) into an envelope, or says why it is not one. */
export function parseEnvelope(raw: unknown): EnvelopeParseResult {
  if (raw === null || raw === undefined) return { ok: false, reason: 'empty message' };
  let value: unknown = raw;
  if (typeof raw === 'string' || Buffer.isBuffer(raw)) {
    try {
      value = JSON.parse(raw.toString());
    } catch {
      return { ok: false, reason: 'not JSON' };
    }
  }
  if (!isRecord(value)) return { ok: false, reason: 'not an object' };
  for (const field of stringFields) {
    if (typeof value[field] !== 'string' || value[field] === '')
      return { ok: false, reason: `${field} missing` };
  }
  for (const field of ['schemaVersion', 'aggregateVersion'] as const) {
    const n = value[field];
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 1)
      return { ok: false, reason: `${field} missing` };
  }
  const actor = value['actor'];
  if (!isRecord(actor) || typeof actor['id'] !== 'string' || typeof actor['kind'] !== 'string') {
    return { ok: false, reason: 'actor missing' };
  }
  if (value['causationId'] !== null && typeof value['causationId'] !== 'string') {
    return { ok: false, reason: 'causationId missing' };
  }
  if (!('data' in value)) return { ok: false, reason: 'data missing' };
  return { ok: true, envelope: value as EventEnvelope };
}

/** The Kafka message key of an event: one aggregate's events share a partition and stay in order. */
export function messageKey(envelope: Pick<EventEnvelope, 'tenantId' | 'aggregateId'>): string {
  return `${envelope.tenantId}:${envelope.aggregateId}`;
}
