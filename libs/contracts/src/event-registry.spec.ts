import { z } from 'zod';
import { messageKey, type EventEnvelope } from './event-envelope';
import { EventRegistry, EVENTS, toClientEvent } from './event-registry';

const registered: EventEnvelope = {
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
  data: {
    kind: 'company',
    name: 'UAB Pavyzdys',
    firstName: null,
    lastName: null,
    code: '123456789',
    vatCode: null,
    roles: ['buyer'],
    residency: 'resident',
    email: null,
    phone: null,
    website: null,
    notes: null,
    addresses: [],
    bankAccounts: [],
    isOwnCompany: false,
  },
};

describe('events parsed at the edge', () => {
  it('takes an event as bytes, text or decoded JSON', () => {
    for (const raw of [
      Buffer.from(JSON.stringify(registered)),
      JSON.stringify(registered),
      structuredClone(registered),
    ])
      expect(EVENTS.parse(raw)).toEqual({ ok: true, envelope: registered });
  });

  it.each([
    ['an empty message', null, /empty message/],
    ['not JSON', '{', /not JSON/],
    ['an array', '[]', /not an event envelope/],
    ['no eventId', { ...registered, eventId: undefined }, /eventId/],
    ['version 0', { ...registered, aggregateVersion: 0 }, /aggregateVersion/],
    ['a fractional schema version', { ...registered, schemaVersion: 1.5 }, /schemaVersion/],
    ['an actor that is not one', { ...registered, actor: 'me' }, /actor/],
    ['a numeric causation', { ...registered, causationId: 3 }, /causationId/],
    [
      'a type named like a prototype key',
      { ...registered, type: 'constructor' },
      /unknown event type "constructor"/,
    ],
    ['__proto__ as its type', { ...registered, type: '__proto__' }, /unknown event type/],
    ['a type of another aggregate', { ...registered, aggregateType: 'Import' }, /unknown event type/],
    ['a version nobody wrote', { ...registered, schemaVersion: 9 }, /no schema version 9/],
    [
      'data its schema refuses',
      { ...registered, data: { name: 'UAB X' } },
      /ClientRegistered v1 does not parse: kind/,
    ],
  ])('passes over %s, saying why', (_name, raw, reason) => {
    const parsed = EVENTS.parse(typeof raw === 'string' || raw === null ? raw : JSON.stringify(raw));
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toMatch(reason);
  });

  it('upcasts an older version to the latest, step by step', () => {
    const registry = new EventRegistry([
      {
        type: 'Renamed',
        aggregateType: 'Thing',
        topic: 't',
        description: '',
        versions: [
          z.object({ fullName: z.string() }),
          z.object({ name: z.string() }),
          z.object({ name: z.string(), alias: z.string().nullable() }),
        ],
        upcasters: [
          (data) => ({ name: (data as { fullName: string }).fullName }),
          (data) => ({ ...(data as object), alias: null }),
        ],
      },
    ]);
    const old = { ...registered, type: 'Renamed', aggregateType: 'Thing', data: { fullName: 'Ona' } };
    expect(registry.parse(old)).toEqual({
      ok: true,
      envelope: { ...old, schemaVersion: 3, data: { name: 'Ona', alias: null } },
    });
    expect(registry.upcast({ ...old, schemaVersion: 2, data: { name: 'Jonas' } }).data).toEqual({
      name: 'Jonas',
      alias: null,
    });
  });

  it('narrows a client envelope to its event, and nothing else', () => {
    expect(toClientEvent(registered)).toEqual({ type: 'ClientRegistered', data: registered.data });
    expect(toClientEvent({ ...registered, type: 'toString' })).toBeNull();
    expect(toClientEvent({ ...registered, aggregateType: 'Import', type: 'ImportCompleted' })).toBeNull();
  });

  it('keys messages by tenant and aggregate', () => {
    expect(messageKey(registered)).toBe('t1:c1');
  });
});
