import { randomUUID } from 'node:crypto';
import type { Db } from 'mongodb';
import { callService, MONGO_DB } from '@clientbook/platform';
import { changedElsewhere } from './stale-picture';
import { startSystem, System, Tenant } from './system';

// API.md "Client" `hasOperations`, "Clients" DELETE 409 client_has_operations, and operations moving
// to the survivor of a merge. Operations are recorded by the services that hold them (imports,
// invoices) on the clients service's internal route, as done here.
describe('operations on clients', () => {
  let system: System;
  let tenant: Tenant;

  beforeAll(async () => {
    system = await startSystem();
    tenant = await system.createTenant();
  }, 60_000);

  afterAll(async () => {
    await system?.close();
  });

  async function internalPost(path: string, body: unknown) {
    const response = await callService(
      system.internalSecret,
      { name: 'clients', baseUrl: system.clientsUrl },
      {
        method: 'POST',
        target: path,
        tenantId: tenant.tenantId,
        actor: { kind: 'system', id: 'import-matching' },
        correlationId: 'operations-test',
      },
      { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
    );
    return { status: response.status, body: JSON.parse(response.body.toString('utf8')) as any };
  }

  const record = (clientId: string, operationId: string) =>
    internalPost(`/internal/clients/${clientId}/operations`, {
      operationId,
      kind: 'bank_payment',
      ref: operationId,
    });

  it('marks a client with an operation, once per operation id, and refuses to delete it', async () => {
    const client = (await tenant.admin.post('/v1/clients', { kind: 'company', name: 'UAB Mokėtojas' })).body;
    expect((await record(client.id, 'bank:R-1')).body).toEqual({
      clientId: client.id,
      version: 2,
      hasOperations: true,
    });
    expect((await record(client.id, 'bank:R-1')).body.version).toBe(2);
    expect((await tenant.admin.get(`/v1/clients/${client.id}`)).body.hasOperations).toBe(true);

    const refused = await tenant.admin.delete(`/v1/clients/${client.id}`);
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({
      code: 'client_has_operations',
      detail: expect.stringContaining('merge'),
    });
    expect((await tenant.admin.get(`/v1/clients/${client.id}`)).status).toBe(200);
  });

  it('moves a merged client’s operations to the survivor and counts them in preview and audit', async () => {
    const keep = (await tenant.admin.post('/v1/clients', { kind: 'company', name: 'UAB Tikrasis Mokėtojas' }))
      .body;
    const duplicate = (
      await tenant.admin.post('/v1/clients', { kind: 'company', name: 'UAB Tikrasis Mokėtojas (dublis)' })
    ).body;
    await record(duplicate.id, 'bank:R-2');
    await record(duplicate.id, 'bank:R-3');
    const body = { keepId: keep.id, mergeIds: [duplicate.id] };
    expect((await tenant.admin.post('/v1/clients/merge/preview', body)).body.moves).toEqual({
      operations: 2,
    });
    const merged = await tenant.admin.post('/v1/clients/merge', body);
    expect(merged.body.client.hasOperations).toBe(true);
    expect((await tenant.admin.get(`/v1/merges/${merged.body.mergeId}`)).body.moved).toEqual({
      operations: 2,
    });
    expect((await tenant.admin.delete(`/v1/clients/${keep.id}`)).body.code).toBe('client_has_operations');
  });

  it('records a batch on many clients, one append per client; a refusing client fails only its own', async () => {
    const create = async (name: string) =>
      (await tenant.admin.post('/v1/clients', { kind: 'company', name })).body.id as string;
    const [a, b, gone] = [await create('UAB A'), await create('UAB B'), await create('UAB Ištrintas')];
    expect((await tenant.admin.delete(`/v1/clients/${gone}`)).status).toBe(204);
    const op = (clientId: string, ref: string) => ({
      clientId,
      operationId: `bank:${ref}`,
      kind: 'bank_payment',
      ref,
    });
    const batch = [
      op(a, 'B-1'),
      op(gone, 'B-2'),
      op(a, 'B-3'),
      op(b, 'B-4'),
      op(a, 'B-1'),
      op('no-such', 'B-5'),
    ];
    const answer = await internalPost('/internal/operations', { operations: batch });
    expect(answer.status).toBe(200);
    expect(answer.body.results.map((r: any) => [r.clientId, r.recorded, r.error?.code ?? null])).toEqual([
      [a, true, null],
      [gone, false, 'client_deleted'],
      [a, true, null],
      [b, true, null],
      [a, true, null],
      ['no-such', false, 'not_found'],
    ]);
    const history = (await tenant.admin.get(`/v1/clients/${a}/history`)).body.items as any[];
    const recorded = history.filter((e) => e.type === 'OperationRecorded');
    expect(recorded.map((e) => e.data.ref)).toEqual(['B-1', 'B-3']);
    expect(new Set(recorded.map((e) => e.version)).size).toBe(2);
    expect(new Set(recorded.map((e) => e.occurredAt)).size).toBe(1);
    // Again, as a retry would: nothing more is recorded.
    expect((await tenant.admin.get(`/v1/clients/${a}`)).body.version).toBe(3);
    await internalPost('/internal/operations', { operations: batch });
    expect((await tenant.admin.get(`/v1/clients/${a}`)).body.version).toBe(3);

    const tooMany = Array.from({ length: 1001 }, (_, i) => op(a, `M-${i}`));
    const refused = await internalPost('/internal/operations', { operations: tooMany });
    expect(refused.status).toBe(400);
    expect(refused.body.code).toBe('validation_failed');
    expect((await internalPost('/internal/operations', { operations: [{ clientId: a }] })).status).toBe(400);
  });

  it('records a batch on a client changed elsewhere and refuses a client a merge holds, as single writes would', async () => {
    const create = async (name: string) =>
      (await tenant.admin.post('/v1/clients', { kind: 'company', name })).body.id as string;
    const [fresh, stale, held] = [
      await create('UAB Šviežias'),
      await create('UAB Pasenęs'),
      await create('UAB Sujungiamas'),
    ];
    // This instance last saw `stale` at version 1; it is at 2. A merge holds `held`.
    await changedElsewhere(system.clientsApp, tenant.tenantId, stale, { notes: 'pakeista kitur' });
    const locks = system.clientsApp.get<Db>(MONGO_DB).collection('merge_locks');
    const lock = `${tenant.tenantId}:${held}`;
    await locks.insertOne({
      _id: lock as never,
      tenantId: tenant.tenantId,
      clientId: held,
      mergeId: randomUUID(),
      since: new Date(),
    });
    try {
      const operations = [fresh, stale, held].map((clientId, i) => ({
        clientId,
        operationId: `bank:S-${i}`,
        kind: 'bank_payment',
        ref: `S-${i}`,
      }));
      const answer = await internalPost('/internal/operations', { operations });
      expect(answer.body.results.map((r: any) => [r.recorded, r.error?.code ?? null])).toEqual([
        [true, null],
        [true, null],
        [false, 'client_not_active'],
      ]);
    } finally {
      await locks.deleteOne({ _id: lock as never });
    }
    // The change made elsewhere is kept, the operation comes after it; no lock is left behind.
    const history = (await tenant.admin.get(`/v1/clients/${stale}/history`)).body.items as any[];
    expect(history.map((e) => [e.version, e.type])).toEqual([
      [1, 'ClientRegistered'],
      [2, 'ClientDetailsChanged'],
      [3, 'OperationRecorded'],
    ]);
    expect((await tenant.admin.get(`/v1/clients/${fresh}`)).body).toMatchObject({
      version: 2,
      hasOperations: true,
    });
    expect((await tenant.admin.get(`/v1/clients/${held}`)).body).toMatchObject({
      version: 1,
      hasOperations: false,
    });
    expect(await locks.countDocuments({ tenantId: tenant.tenantId })).toBe(0);
  });

  it('registers a batch of clients under ids the caller chose: created, existed, or refused on its own', async () => {
    const [made, again] = [`import-${randomUUID()}`, `import-${randomUUID()}`];
    const card = (name: string) => ({
      kind: 'company',
      name,
      bankAccounts: [{ iban: 'LT601010012345678901' }],
    });
    expect(
      (
        await internalPost('/internal/clients/registrations', {
          clients: [{ id: again, card: card('UAB Buvęs') }],
        })
      ).body,
    ).toEqual({ results: [{ id: again, outcome: 'created', error: null }] });
    const answer = await internalPost('/internal/clients/registrations', {
      clients: [
        { id: made, card: card('UAB Naujas Iš Importo') },
        { id: again, card: card('UAB Buvęs Kitaip') },
        // Refused by the card's shape, and by the client's rules: each on its own.
        { id: `import-${randomUUID()}`, card: { kind: 'company', name: 'UAB Spalvotas', colour: 'red' } },
        { id: `import-${randomUUID()}`, card: { kind: 'company', name: ' ' } },
      ],
    });
    expect(answer.status).toBe(200);
    expect(
      answer.body.results.map((r: any) => [
        r.outcome,
        r.error?.code ?? null,
        r.error?.errors.map((e: any) => e.field) ?? null,
      ]),
    ).toEqual([
      ['created', null, null],
      ['existed', null, null],
      ['refused', 'validation_failed', ['colour']],
      ['refused', 'validation_failed', ['name']],
    ]);
    expect((await tenant.admin.get(`/v1/clients/${made}`)).body).toMatchObject({
      name: 'UAB Naujas Iš Importo',
      version: 1,
    });
    // The one that existed is not changed by a second registration.
    expect((await tenant.admin.get(`/v1/clients/${again}`)).body).toMatchObject({
      name: 'UAB Buvęs',
      version: 1,
    });
    const tooMany = Array.from({ length: 501 }, (_, i) => ({ id: `x-${i}`, card: card('UAB X') }));
    expect((await internalPost('/internal/clients/registrations', { clients: tooMany })).body.code).toBe(
      'validation_failed',
    );
  });

  it('answers a tenant-less or unknown call as the API does', async () => {
    const anonymous = await fetch(`${system.clientsUrl}/internal/clients/x/operations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ operationId: 'o', kind: 'bank_payment', ref: 'r' }),
    });
    expect(anonymous.status).toBe(401);
    expect((await record('no-such-client', 'bank:R-4')).status).toBe(404);
  });
});
