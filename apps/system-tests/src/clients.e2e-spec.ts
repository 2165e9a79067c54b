import { randomUUID } from 'node:crypto';
import type { Db } from 'mongodb';
import { EventStore } from '@clientbook/event-store';
import { MONGO_DB } from '@clientbook/platform';
import { eventually } from '@clientbook/testing';
import { ClientCardProjection, ClientCards, CommandFaults } from '@clientbook/clients-app';
import { ApiCaller, startSystem, System, Tenant } from './system';
import { changedElsewhere } from './stale-picture';

// API.md "Client" and "Clients", through the gateway, on the real servers.
describe('clients through the gateway', () => {
  let system: System;
  let tenant: Tenant;
  let api: ApiCaller;

  beforeAll(async () => {
    system = await startSystem();
    tenant = await system.createTenant();
    api = tenant.admin;
  }, 60_000);

  afterAll(async () => {
    await system?.close();
  });

  const company = (extra: Record<string, unknown> = {}) => ({
    kind: 'company',
    name: 'UAB Pavyzdys',
    ...extra,
  });
  let codeSeq = 100_000_000;
  const nextCode = () => String(codeSeq++);

  describe('create and read', () => {
    it('refuses a bulk update without what to set (found by schemathesis)', async () => {
      const refused = await api.post('/v1/clients/bulk-update', { ids: ['x'] });
      expect(refused.status).toBe(400);
      expect(refused.body.errors).toContainEqual(expect.objectContaining({ field: 'set' }));
    });

    it('takes null addresses and bank accounts as none (was a 500, found by schemathesis)', async () => {
      const created = await api.post('/v1/clients', {
        kind: 'company',
        name: 'UAB Be Adreso',
        addresses: null,
        bankAccounts: null,
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ addresses: [], bankAccounts: [] });
    });

    it('creates a client: 201 with Location, ETag and the card of API.md', async () => {
      const created = await api.post('/v1/clients', {
        kind: 'company',
        name: 'UAB Pavyzdys',
        code: '123456789',
        vatCode: 'LT123456715',
        roles: ['supplier', 'buyer'],
        email: 'info@pavyzdys.lt',
        phone: '+37060000000',
        addresses: [
          {
            line1: 'Gedimino pr. 1',
            city: 'Vilnius',
            postalCode: '01103',
            country: 'LT',
            registration: true,
            correspondence: true,
          },
        ],
        bankAccounts: [{ iban: 'LT12 1000 0111 0100 1000', bankName: 'Bankas', main: true }],
      });
      expect(created.status).toBe(201);
      expect(created.headers.get('location')).toBe(`/v1/clients/${created.body.id}`);
      expect(created.headers.get('etag')).toBe('"1"');
      expect(created.body).toEqual({
        id: expect.any(String),
        version: 1,
        kind: 'company',
        name: 'UAB Pavyzdys',
        firstName: null,
        lastName: null,
        code: '123456789',
        vatCode: 'LT123456715',
        roles: ['buyer', 'supplier'],
        residency: 'resident',
        email: 'info@pavyzdys.lt',
        phone: '+37060000000',
        website: null,
        notes: null,
        addresses: [
          {
            id: expect.any(String),
            line1: 'Gedimino pr. 1',
            line2: null,
            city: 'Vilnius',
            postalCode: '01103',
            country: 'LT',
            branchName: null,
            registration: true,
            correspondence: true,
          },
        ],
        bankAccounts: [
          {
            id: expect.any(String),
            iban: 'LT121000011101001000',
            bankName: 'Bankas',
            bic: null,
            currency: 'EUR',
            main: true,
            showOnInvoice: true,
          },
        ],
        isOwnCompany: false,
        status: 'active',
        mergedInto: null,
        hasOperations: false,
        createdAt: expect.stringMatching(/Z$/),
        updatedAt: expect.stringMatching(/Z$/),
      });
      // Read-your-writes: the GET right after the 201 shows it.
      const read = await api.get(`/v1/clients/${created.body.id}`);
      expect(read.status).toBe(200);
      expect(read.body).toEqual(created.body);
    });

    it('derives a person’s name', async () => {
      const created = await api.post('/v1/clients', {
        kind: 'person',
        firstName: 'Ona',
        lastName: 'Kazlauskienė',
        code: '49002150127',
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ kind: 'person', name: 'Ona Kazlauskienė', code: '49002150127' });
    });

    it('shows the own company as the tenant’s first client', async () => {
      const own = await api.get('/v1/company');
      expect(own.status).toBe(200);
      expect(own.body).toMatchObject({
        id: tenant.companyId,
        isOwnCompany: true,
        kind: 'company',
        name: 'UAB Mano Įmonė',
      });
    });

    it('answers 404 not_found for an unknown id', async () => {
      const response = await api.get('/v1/clients/no-such-client');
      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      expect(response.body).toMatchObject({
        status: 404,
        code: 'not_found',
        type: expect.any(String),
        title: expect.any(String),
      });
    });
  });

  describe('validation', () => {
    it('names every invalid field, nested ones by path', async () => {
      const response = await api.post('/v1/clients', {
        kind: 'person',
        firstName: 'Petras',
        lastName: 'Petraitis',
        code: '38001010010',
        bankAccounts: [{ iban: 'LT121000011101001001' }],
        addresses: [{ line1: 'Laisvės al. 1', city: 'Kaunas', country: 'XX' }],
      });
      expect(response.status).toBe(400);
      expect(response.body.code).toBe('validation_failed');
      expect(response.body.errors).toEqual(
        expect.arrayContaining([
          { field: 'code', message: expect.stringContaining('check digit') },
          { field: 'bankAccounts[0].iban', message: expect.stringContaining('check digits') },
          { field: 'addresses[0].country', message: expect.any(String) },
        ]),
      );
    });

    it.each([
      ['an unknown field', { kind: 'company', name: 'X', colour: 'red' }, 'colour'],
      [
        'an unknown nested field',
        { kind: 'company', name: 'X', bankAccounts: [{ iban: 'LT121000011101001000', pin: 1 }] },
        'bankAccounts[0].pin',
      ],
      ['a wrong type', { kind: 'company', name: 42 }, 'name'],
      ['an unknown kind', { kind: 'robot', name: 'X' }, 'kind'],
      ['an unknown role', { kind: 'company', name: 'X', roles: ['owner'] }, 'roles'],
      ['an operator in the body', { kind: 'company', name: { $ne: null } }, 'name'],
    ])('refuses %s with 400', async (_name, body, field) => {
      const response = await api.post('/v1/clients', body);
      expect(response.status).toBe(400);
      expect(response.body.code).toBe('validation_failed');
      expect(response.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    });

    it('refuses a body that is not JSON', async () => {
      const response = await api.request('POST', '/v1/clients', {
        raw: '{"kind":',
        headers: { 'content-type': 'application/json' },
      });
      expect(response.status).toBe(400);
      expect(response.body.code).toBe('validation_failed');
    });

    it('refuses a body over 10 MiB with 413 payload_too_large', async () => {
      const response = await api.request('POST', '/v1/clients', {
        raw: JSON.stringify({ kind: 'company', name: 'X', notes: 'x'.repeat(10 * 1024 * 1024 + 10) }),
        headers: { 'content-type': 'application/json' },
      });
      expect(response.status).toBe(413);
      expect(response.body.code).toBe('payload_too_large');
    });

    it.each([
      ['an operator in a query key', '/v1/clients?q[$ne]=x'],
      ['an object in a query value', '/v1/clients?name[$regex]=.*'],
      ['a repeated query value', '/v1/clients?q=a&q=b'],
      ['a limit over 500', '/v1/clients?limit=501'],
      ['an unknown sort', '/v1/clients?sort=$natural'],
      ['a cursor it did not give', '/v1/clients?cursor=abc'],
    ])('answers 400 for %s, never a query', async (_name, path) => {
      const response = await api.get(path);
      expect(response.status).toBe(400);
      expect(response.body.code).toBe('validation_failed');
    });
  });

  describe('unique codes', () => {
    it('refuses a code another active client holds, naming the holder', async () => {
      const code = nextCode();
      const first = await api.post('/v1/clients', company({ code }));
      const second = await api.post('/v1/clients', company({ name: 'UAB Kitas', code }));
      expect(second.status).toBe(409);
      expect(second.body.code).toBe('non_unique_entry');
      expect(second.body.errors[0].field).toBe('code');
      expect(second.body.detail).toContain(first.body.id);
    });

    it('lets exactly one of 10 concurrent creates with one code through', async () => {
      const code = nextCode();
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          api.post('/v1/clients', company({ name: `UAB Lenktynės ${i}`, code })),
        ),
      );
      expect(results.map((r) => r.status).sort()).toEqual([201, ...Array(9).fill(409)]);
    });

    it('frees the code when the holder changes it or is deleted', async () => {
      const code = nextCode();
      const holder = await api.post('/v1/clients', company({ code }));
      expect((await api.patch(`/v1/clients/${holder.body.id}`, { code: nextCode() })).status).toBe(200);
      const second = await api.post('/v1/clients', company({ code }));
      expect(second.status).toBe(201);
      expect((await api.delete(`/v1/clients/${second.body.id}`)).status).toBe(204);
      expect((await api.post('/v1/clients', company({ code }))).status).toBe(201);
    });

    it('keeps codes per tenant: another tenant may use the same code', async () => {
      const code = nextCode();
      const other = await system.createTenant();
      expect((await api.post('/v1/clients', company({ code }))).status).toBe(201);
      expect((await other.admin.post('/v1/clients', company({ code }))).status).toBe(201);
    });
  });

  describe('change, If-Match and delete', () => {
    it('changes general fields by merge patch; null clears', async () => {
      const created = await api.post('/v1/clients', company({ email: 'a@b.lt', website: 'https://b.lt' }));
      const changed = await api.patch(`/v1/clients/${created.body.id}`, { email: null, notes: 'VIP' });
      expect(changed.status).toBe(200);
      expect(changed.body).toMatchObject({ version: 2, email: null, website: 'https://b.lt', notes: 'VIP' });
      expect(changed.headers.get('etag')).toBe('"2"');
    });

    it('refuses addresses and bank accounts in PATCH', async () => {
      const created = await api.post('/v1/clients', company());
      const response = await api.patch(`/v1/clients/${created.body.id}`, { addresses: [] });
      expect(response.status).toBe(400);
    });

    it('answers 412 version_conflict for a stale If-Match', async () => {
      const created = await api.post('/v1/clients', company());
      await api.patch(`/v1/clients/${created.body.id}`, { notes: 'one' });
      const stale = await api.patch(
        `/v1/clients/${created.body.id}`,
        { notes: 'two' },
        { 'If-Match': '"1"' },
      );
      expect(stale.status).toBe(412);
      expect(stale.body.code).toBe('version_conflict');
    });

    it('lets one of two concurrent If-Match writes win: one 200, one 412', async () => {
      const created = await api.post('/v1/clients', company());
      const [a, b] = await Promise.all([
        api.patch(`/v1/clients/${created.body.id}`, { notes: 'a' }, { 'If-Match': '"1"' }),
        api.patch(`/v1/clients/${created.body.id}`, { notes: 'b' }, { 'If-Match': '"1"' }),
      ]);
      expect([a.status, b.status].sort()).toEqual([200, 412]);
      const read = await api.get(`/v1/clients/${created.body.id}`);
      expect(read.body.version).toBe(2);
    });

    it('applies concurrent writes without If-Match one after another', async () => {
      const created = await api.post('/v1/clients', company());
      const results = await Promise.all(
        ['buyer', 'supplier', 'bank'].map((role) =>
          api.post('/v1/clients/bulk-update', { ids: [created.body.id], set: { addRoles: [role] } }),
        ),
      );
      expect(results.every((r) => r.status === 200 && r.body.updated.length === 1)).toBe(true);
      expect((await api.get(`/v1/clients/${created.body.id}`)).body).toMatchObject({
        version: 4,
        roles: ['buyer', 'supplier', 'bank'],
      });
    });

    it('deletes a client: 204, then 410 client_deleted, history still readable', async () => {
      const created = await api.post('/v1/clients', company());
      expect((await api.delete(`/v1/clients/${created.body.id}`)).status).toBe(204);
      const read = await api.get(`/v1/clients/${created.body.id}`);
      expect(read.status).toBe(410);
      expect(read.body.code).toBe('client_deleted');
      const history = await api.get(`/v1/clients/${created.body.id}/history`);
      expect(history.body.items.map((i: { type: string }) => i.type)).toEqual([
        'ClientRegistered',
        'ClientDeleted',
      ]);
      expect((await api.patch(`/v1/clients/${created.body.id}`, { notes: 'x' })).body.code).toBe(
        'client_deleted',
      );
    });

    it('refuses to delete the own company with 409 own_company', async () => {
      const response = await api.delete(`/v1/clients/${tenant.companyId}`);
      expect(response.status).toBe(409);
      expect(response.body.code).toBe('own_company');
    });
  });

  describe('addresses and bank accounts', () => {
    it('adds, flags like radio buttons, changes and removes addresses', async () => {
      const created = await api.post(
        '/v1/clients',
        company({ addresses: [{ line1: 'A g. 1', city: 'Vilnius', country: 'LT', registration: true }] }),
      );
      const first = created.body.addresses[0].id;
      const added = await api.post(`/v1/clients/${created.body.id}/addresses`, {
        line1: 'B g. 2',
        city: 'Kaunas',
        country: 'lt',
        registration: true,
      });
      expect(added.status).toBe(201);
      expect(added.body).toMatchObject({ line1: 'B g. 2', country: 'LT', registration: true });
      expect(added.headers.get('location')).toBe(`/v1/clients/${created.body.id}/addresses/${added.body.id}`);
      let card = (await api.get(`/v1/clients/${created.body.id}`)).body;
      expect(
        card.addresses.map((a: { id: string; registration: boolean }) => [a.id, a.registration]),
      ).toEqual([
        [first, false],
        [added.body.id, true],
      ]);
      const changed = await api.patch(`/v1/clients/${created.body.id}/addresses/${first}`, {
        city: 'Klaipėda',
      });
      expect(changed.status).toBe(200);
      expect(changed.body.city).toBe('Klaipėda');
      expect((await api.delete(`/v1/clients/${created.body.id}/addresses/${first}`)).status).toBe(204);
      card = (await api.get(`/v1/clients/${created.body.id}`)).body;
      expect(card.addresses).toHaveLength(1);
      expect((await api.delete(`/v1/clients/${created.body.id}/addresses/${first}`)).status).toBe(404);
    });

    it('keeps one main bank account and refuses an invalid or repeated IBAN', async () => {
      const created = await api.post(
        '/v1/clients',
        company({ bankAccounts: [{ iban: 'LT121000011101001000', main: true }] }),
      );
      const added = await api.post(`/v1/clients/${created.body.id}/bank-accounts`, {
        iban: 'DE89 3704 0044 0532 0130 00',
        main: true,
      });
      expect(added.status).toBe(201);
      const card = (await api.get(`/v1/clients/${created.body.id}`)).body;
      expect(card.bankAccounts.map((b: { main: boolean }) => b.main)).toEqual([false, true]);
      const invalid = await api.post(`/v1/clients/${created.body.id}/bank-accounts`, {
        iban: 'LT121000011101001001',
      });
      expect(invalid.status).toBe(400);
      expect(invalid.body.errors).toEqual([
        { field: 'iban', message: expect.stringContaining('check digits') },
      ]);
      const repeated = await api.post(`/v1/clients/${created.body.id}/bank-accounts`, {
        iban: 'lt12 1000 0111 0100 1000',
      });
      expect(repeated.status).toBe(400);
      const changed = await api.patch(`/v1/clients/${created.body.id}/bank-accounts/${added.body.id}`, {
        showOnInvoice: false,
      });
      expect(changed.body).toMatchObject({ id: added.body.id, showOnInvoice: false });
      expect((await api.delete(`/v1/clients/${created.body.id}/bank-accounts/${added.body.id}`)).status).toBe(
        204,
      );
    });
  });

  describe('bulk update and history', () => {
    it('updates each id and reports the ones it could not', async () => {
      const a = await api.post('/v1/clients', company({ roles: ['buyer'] }));
      const b = await api.post('/v1/clients', company({ roles: ['bank'] }));
      const response = await api.post('/v1/clients/bulk-update', {
        ids: [a.body.id, 'missing-id', b.body.id],
        set: { residency: 'eu', addRoles: ['supplier'], removeRoles: ['bank'] },
      });
      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        updated: [a.body.id, b.body.id],
        failed: [{ id: 'missing-id', code: 'not_found', message: expect.any(String) }],
      });
      expect((await api.get(`/v1/clients/${b.body.id}`)).body).toMatchObject({
        residency: 'eu',
        roles: ['supplier'],
      });
    });

    it('answers an unexpected failure of one id as that id’s own, after changing the others', async () => {
      const ids = [];
      for (let i = 0; i < 3; i += 1) ids.push((await api.post('/v1/clients', company())).body.id);
      // The second client's write fails with an error nobody decided (as a bug would).
      const failure = Promise.reject(new Error('the disk is on fire'));
      failure.catch(() => undefined);
      system.clientsApp.get(CommandFaults).holdBeforeAppend = {
        clientId: ids[1],
        reached: () => undefined,
        until: failure,
      };
      const response = await api.post('/v1/clients/bulk-update', { ids, set: { residency: 'eu' } });
      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        updated: [ids[0], ids[2]],
        failed: [{ id: ids[1], code: 'internal', message: expect.any(String) }],
      });
      expect(JSON.stringify(response.body)).not.toContain('fire');
      expect((await api.get(`/v1/clients/${ids[2]}`)).body.residency).toBe('eu');
      expect((await api.get(`/v1/clients/${ids[1]}`)).body.residency).not.toBe('eu');
    });

    it.each([
      ['no ids', { ids: [], set: { residency: 'eu' } }],
      ['1,001 ids', { ids: Array.from({ length: 1001 }, (_, i) => `id-${i}`), set: { residency: 'eu' } }],
      ['an unknown setting', { ids: ['a'], set: { name: 'X' } }],
    ])('refuses %s', async (_name, body) => {
      expect((await api.post('/v1/clients/bulk-update', body)).status).toBe(400);
    });

    it('lists every event oldest first, with actor and correlation id', async () => {
      const created = await api.post('/v1/clients', company(), { 'x-correlation-id': 'corr-history-1' });
      await api.patch(`/v1/clients/${created.body.id}`, { notes: 'n' });
      const history = await api.get(`/v1/clients/${created.body.id}/history`);
      expect(history.status).toBe(200);
      expect(history.body.items).toEqual([
        {
          version: 1,
          type: 'ClientRegistered',
          occurredAt: expect.any(String),
          actor: { kind: 'api_key', id: expect.any(String), role: 'admin' },
          correlationId: 'corr-history-1',
          data: expect.objectContaining({ name: 'UAB Pavyzdys' }),
        },
        expect.objectContaining({
          version: 2,
          type: 'ClientDetailsChanged',
          data: { changes: { notes: 'n' } },
        }),
      ]);
    });
  });

  it('keeps the newest card when a client’s first event is delivered again', async () => {
    const created = (await api.post('/v1/clients', company({ name: 'UAB Pirmasis' }))).body;
    await api.patch(`/v1/clients/${created.id}`, { name: 'UAB Pirmasis Pakeistas' });
    const [first] = await system.clientsApp.get(EventStore).readStream(tenant.tenantId, created.id);
    await eventually(async () => expect((await api.get(`/v1/clients/${created.id}`)).body.version).toBe(2));
    await system.clientsApp.get(ClientCardProjection).apply(first);
    const card = await system.clientsApp.get(ClientCards).find(tenant.tenantId, created.id);
    expect(card?.lastVersion).toBe(2);
    expect(JSON.parse(card?.state ?? '{}').name).toBe('UAB Pirmasis Pakeistas');
    expect((await api.get(`/v1/clients?q=pirmasis`)).body.items.map((c: any) => c.name)).toEqual([
      'UAB Pirmasis Pakeistas',
    ]);
  });

  it('fails an event the event store does not show yet, so that Kafka delivers it again (a database back from a crash)', async () => {
    const created = (await api.post('/v1/clients', company({ name: 'UAB Ankstesnis' }))).body;
    // The card is written by the projection, which may follow the answer by a moment.
    await eventually(async () =>
      expect((await system.clientsApp.get(ClientCards).find(tenant.tenantId, created.id))?.lastVersion).toBe(
        1,
      ),
    );
    const [first] = await system.clientsApp.get(EventStore).readStream(tenant.tenantId, created.id);
    const ahead = { ...first, eventId: randomUUID(), aggregateVersion: 2, type: 'ClientDetailsChanged' };
    await expect(system.clientsApp.get(ClientCardProjection).apply(ahead)).rejects.toThrow(
      `the event store shows client ${created.id} at version 1, not yet 2`,
    );
    expect((await system.clientsApp.get(ClientCards).find(tenant.tenantId, created.id))?.lastVersion).toBe(1);
  });

  it('keeps the newest cards when a slice of events is delivered again in one batch, first events and all', async () => {
    const one = (await api.post('/v1/clients', company({ name: 'UAB Partija Viena' }))).body;
    const two = (await api.post('/v1/clients', company({ name: 'UAB Partija Dvi' }))).body;
    await api.patch(`/v1/clients/${one.id}`, { name: 'UAB Partija Viena Pakeista' });
    const store = system.clientsApp.get(EventStore);
    const cards = system.clientsApp.get(ClientCards);
    await eventually(async () => expect((await cards.find(tenant.tenantId, one.id))?.lastVersion).toBe(2));
    // The first events again (a slice delivered a second time): the first cards exist already,
    // so the insert is refused for both and each is looked at again — nothing goes back to
    // version 1 (a blind write of the first card would put one's old name back).
    const slice = [
      (await store.readStream(tenant.tenantId, one.id))[0],
      (await store.readStream(tenant.tenantId, two.id))[0],
    ];
    await system.clientsApp.get(ClientCardProjection).applyBatch(slice);
    const again = await cards.find(tenant.tenantId, one.id);
    expect(again?.lastVersion).toBe(2);
    expect(JSON.parse(again?.state ?? '{}').name).toBe('UAB Partija Viena Pakeista');
    expect((await cards.find(tenant.tenantId, two.id))?.lastVersion).toBe(1);
  });

  it('fails a batch with an event the event store does not show yet, and writes nothing of it', async () => {
    const created = (await api.post('/v1/clients', company({ name: 'UAB Partija Ankstesnė' }))).body;
    const cards = system.clientsApp.get(ClientCards);
    await eventually(async () =>
      expect((await cards.find(tenant.tenantId, created.id))?.lastVersion).toBe(1),
    );
    const [first] = await system.clientsApp.get(EventStore).readStream(tenant.tenantId, created.id);
    const ahead = { ...first, eventId: randomUUID(), aggregateVersion: 2, type: 'ClientDetailsChanged' };
    await expect(system.clientsApp.get(ClientCardProjection).applyBatch([first, ahead])).rejects.toThrow(
      `the event store shows client ${created.id} at version 1, not yet 2`,
    );
    expect((await cards.find(tenant.tenantId, created.id))?.lastVersion).toBe(1);
  });

  describe('a write on a client this instance last saw at an older version', () => {
    // Commands start from the client as this instance last wrote or projected it, without a read.
    const changedHere = (clientId: string, changes: Record<string, unknown>) =>
      changedElsewhere(system.clientsApp, tenant.tenantId, clientId, changes);

    it('writes on the client as stored: a change that looks like none on the old picture is made', async () => {
      const created = (await api.post('/v1/clients', company({ name: 'UAB Senas Vaizdas' }))).body;
      await changedHere(created.id, { name: 'UAB Kitur Pakeista' });
      // On the old picture the name is this already (nothing to write); on the stored client it is not.
      const patched = await api.patch(`/v1/clients/${created.id}`, { name: 'UAB Senas Vaizdas' });
      expect(patched.status).toBe(200);
      expect(patched.body).toMatchObject({ name: 'UAB Senas Vaizdas', version: 3 });
      const history = (await api.get(`/v1/clients/${created.id}/history`)).body.items as any[];
      expect(history.map((e) => [e.version, e.type, e.data.changes?.name ?? null])).toEqual([
        [1, 'ClientRegistered', null],
        [2, 'ClientDetailsChanged', 'UAB Kitur Pakeista'],
        [3, 'ClientDetailsChanged', 'UAB Senas Vaizdas'],
      ]);
    });

    it('keeps the code reservation a refused write did not make', async () => {
      const [before, after] = [nextCode(), nextCode()];
      const created = (await api.post('/v1/clients', company({ name: 'UAB Kodas Kitur', code: before })))
        .body;
      // The other writer reserved the new code and stored it, as this service does.
      await system.clientsApp
        .get<Db>(MONGO_DB)
        .collection('code_reservations')
        .insertOne({
          _id: `${tenant.tenantId}:${after}` as never,
          tenantId: tenant.tenantId,
          code: after,
          clientId: created.id,
          reservedAt: new Date(),
        });
      await changedHere(created.id, { code: after });
      // On the old picture this claims the code (the reservation is the client's already); the
      // append is refused, and the reservation must stay: the client holds the code.
      const patched = await api.patch(`/v1/clients/${created.id}`, { code: after });
      expect(patched.status).toBe(200);
      expect(patched.body).toMatchObject({ code: after, version: 2 });
      const other = await api.post('/v1/clients', company({ name: 'UAB Antras Su Kodu', code: after }));
      expect(other.status).toBe(409);
      expect(other.body.code).toBe('non_unique_entry');
    });
  });

  describe('list and search', () => {
    let searchTenant: Tenant;
    let search: ApiCaller;
    const names = (response: { body: { items: { name: string }[] } }) =>
      response.body.items.map((c) => c.name);

    beforeAll(async () => {
      searchTenant = await system.createTenant({ name: 'UAB Paieška', code: '300000001' });
      search = searchTenant.admin;
      const cards = [
        {
          kind: 'person',
          firstName: 'Šarūnas',
          lastName: 'Petrauskas',
          roles: ['buyer'],
          email: 'Sarunas@Example.lt',
          addresses: [{ line1: 'A', city: 'Klaipėda', country: 'LT' }],
        },
        {
          kind: 'company',
          name: 'UAB Medžio Darbai',
          code: '302345678',
          vatCode: 'LT302345610',
          roles: ['supplier'],
          bankAccounts: [{ iban: 'LT514010051000111222' }],
        },
        {
          kind: 'company',
          name: 'Nordic Supplies AB',
          residency: 'foreign',
          code: '5567890123',
          roles: ['supplier'],
          addresses: [{ line1: 'B', city: 'Stockholm', country: 'SE' }],
        },
        { kind: 'person', firstName: 'Jonas', lastName: 'Jonaitis', roles: ['employee'] },
      ];
      for (const card of cards) expect((await search.post('/v1/clients', card)).status).toBe(201);
      await eventually(async () => expect((await search.get('/v1/clients')).body.items).toHaveLength(5));
    }, 60_000);

    it('lists active clients sorted by name by default', async () => {
      const response = await search.get('/v1/clients');
      expect(response.status).toBe(200);
      expect(names(response)).toEqual([
        'Jonas Jonaitis',
        'Nordic Supplies AB',
        'Šarūnas Petrauskas',
        'UAB Medžio Darbai',
        'UAB Paieška',
      ]);
      expect(response.body.nextCursor).toBeNull();
      expect(names(await search.get('/v1/clients?sort=-name'))[0]).toBe('UAB Paieška');
    });

    it.each([
      ['q ignores case and diacritics', 'q=SARUNAS', ['Šarūnas Petrauskas']],
      ['q finds a fragment', 'q=medzio', ['UAB Medžio Darbai']],
      ['q matches the start of a code', 'q=3023', ['UAB Medžio Darbai']],
      ['q matches the start of a VAT code', 'q=lt3023', ['UAB Medžio Darbai']],
      ['q takes regex characters literally', 'q=.*', []],
      ['code', 'code=5567890123', ['Nordic Supplies AB']],
      ['vatCode', 'vatCode=LT302345610', ['UAB Medžio Darbai']],
      ['kind', 'kind=person', ['Jonas Jonaitis', 'Šarūnas Petrauskas']],
      ['role', 'role=supplier', ['Nordic Supplies AB', 'UAB Medžio Darbai']],
      ['residency', 'residency=foreign', ['Nordic Supplies AB']],
      ['country', 'country=se', ['Nordic Supplies AB']],
      ['city, diacritics ignored', 'city=klaipeda', ['Šarūnas Petrauskas']],
      ['email, case ignored', 'email=sarunas@example.LT', ['Šarūnas Petrauskas']],
      ['iban, spaces ignored', 'iban=LT51%204010%200510%200011%201222', ['UAB Medžio Darbai']],
      ['combined filters', 'role=supplier&residency=resident', ['UAB Medžio Darbai']],
    ])('filters by %s', async (_name, query, expected) => {
      const response = await search.get(`/v1/clients?${query}`);
      expect(response.status).toBe(200);
      expect(names(response)).toEqual(expected);
    });

    it('pages with a cursor that stays stable while clients are added', async () => {
      const first = await search.get('/v1/clients?limit=2');
      expect(names(first)).toEqual(['Jonas Jonaitis', 'Nordic Supplies AB']);
      expect(first.body.nextCursor).toEqual(expect.any(String));
      // A client that sorts before the cursor must not shift the next page.
      await search.post('/v1/clients', { kind: 'company', name: 'AB Ankstyvas' });
      await eventually(async () =>
        expect(names(await search.get('/v1/clients?limit=1'))).toEqual(['AB Ankstyvas']),
      );
      const second = await search.get(`/v1/clients?limit=2&cursor=${first.body.nextCursor}`);
      expect(names(second)).toEqual(['Šarūnas Petrauskas', 'UAB Medžio Darbai']);
      const third = await search.get(`/v1/clients?limit=2&cursor=${second.body.nextCursor}`);
      expect(names(third)).toEqual(['UAB Paieška']);
      expect(third.body.nextCursor).toBeNull();
    });

    it('shows deleted clients only when asked, within a second of the write', async () => {
      const created = await search.post('/v1/clients', { kind: 'company', name: 'UAB Trumpalaikis' });
      await search.delete(`/v1/clients/${created.body.id}`);
      await eventually(
        async () =>
          expect(names(await search.get('/v1/clients?status=deleted'))).toEqual(['UAB Trumpalaikis']),
        {
          timeoutMs: 1000,
        },
      );
      expect(names(await search.get('/v1/clients?q=trumpalaikis'))).toEqual([]);
    });
  });
});
