import { EventEnvelope, messageKey, parseEnvelope } from './event-envelope';

const envelope: EventEnvelope = {
  eventId: 'e1',
  type: 'ClientRegistered',
  schemaVersion: 1,
  tenantId: 't1',
  aggregateType: 'Client',
  aggregateId: 'c1',
  aggregateVersion: 1,
  occurredAt: '2026-11-28T00:00:00.000Z',
  actor: { kind: 'api_key', id: 'k1', role: 'admin' },
  correlationId: 'corr',
  causationId: null,
  data: { name: 'UAB Pavyzdys' },
};

describe('parseEnvelope', () => {
  it('accepts a complete envelope', () => {
    expect(parseEnvelope(JSON.stringify(envelope))).toEqual({ ok: true, envelope });
  });

  it('accepts an envelope that the transport already decoded', () => {
    expect(parseEnvelope(JSON.parse(JSON.stringify(envelope)))).toEqual({ ok: true, envelope });
  });

  it.each([
    ['null message', null, 'empty message'],
    ['not JSON', '{', 'not JSON'],
    ['an array', '[]', 'not an object'],
    ['no eventId', JSON.stringify({ ...envelope, eventId: undefined }), 'eventId missing'],
    ['version 0', JSON.stringify({ ...envelope, aggregateVersion: 0 }), 'aggregateVersion missing'],
    ['fractional schema', JSON.stringify({ ...envelope, schemaVersion: 1.5 }), 'schemaVersion missing'],
    ['no actor', JSON.stringify({ ...envelope, actor: 'me' }), 'actor missing'],
    ['numeric causation', JSON.stringify({ ...envelope, causationId: 3 }), 'causationId missing'],
    ['no data', JSON.stringify({ ...envelope, data: undefined }), 'data missing'],
  ])('rejects %s', (_name, raw, reason) => {
    expect(parseEnvelope(raw)).toEqual({ ok: false, reason });
  });

  it('keys messages by tenant and aggregate', () => {
    expect(messageKey(envelope)).toBe('t1:c1');
  });
});
