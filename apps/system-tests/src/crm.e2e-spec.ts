import { eventually } from '@clientbook/testing';
import { ApiCaller, startSystem, System, Tenant } from './system';

// API.md "CRM": statuses, attributes and call outcomes; a client's status and attributes, its
// summary and timeline — through the gateway, on the real servers.
describe('CRM through the gateway', () => {
  let system: System;
  let tenant: Tenant;
  let admin: ApiCaller;
  let user: ApiCaller;
  let auditor: ApiCaller;
  let codeSeq = 320_000_000;
  const newClient = async (name = 'UAB Santykiai') =>
    (await admin.post('/v1/clients', { kind: 'company', name, code: String(codeSeq++) })).body.id as string;

  beforeAll(async () => {
    system = await startSystem();
    tenant = await system.createTenant();
    admin = tenant.admin;
    user = await tenant.as('user');
    auditor = await tenant.as('auditor');
  }, 60_000);

  afterAll(async () => {
    await system?.close();
  });

  describe('definitions', () => {
    it('starts a tenant with the five statuses and four attributes of API.md, in order', async () => {
      const statuses = await auditor.get('/v1/crm/statuses');
      expect(statuses.status).toBe(200);
      expect(statuses.body.map((s: any) => [s.id, s.name, s.order, s.closed])).toEqual([
        ['prospect', 'Potencialus klientas', 1, false],
        ['customer', 'Klientas', 2, false],
        ['partner', 'Partneris', 3, false],
        ['inactive', 'Neaktyvus', 4, true],
        ['lost', 'Prarastas', 5, true],
      ]);
      const attributes = await auditor.get('/v1/crm/attributes');
      expect(attributes.body.map((a: any) => a.id)).toEqual([
        'supplier-partner',
        'customer',
        'potential-customer',
        'group-member',
      ]);
      const outcomes = await auditor.get('/v1/crm/call-outcomes');
      expect(outcomes.body.map((o: any) => o.id)).toEqual([
        'answered',
        'no_answer',
        'busy',
        'voicemail',
        'wrong_number',
      ]);
    });

    it('lets an admin add, change and remove a status, and nobody else', async () => {
      expect((await user.post('/v1/crm/statuses', { name: 'VIP' })).status).toBe(403);
      const added = await admin.post('/v1/crm/statuses', { name: 'Karštas klientas', color: '#C0392B' });
      expect(added.status).toBe(201);
      expect(added.body).toEqual({
        id: 'karstas-klientas',
        name: 'Karštas klientas',
        color: '#c0392b',
        order: 6,
        closed: false,
      });
      const changed = await admin.patch('/v1/crm/statuses/karstas-klientas', { order: 0, closed: false });
      expect(changed.body).toMatchObject({ id: 'karstas-klientas', order: 0 });
      expect((await admin.get('/v1/crm/statuses')).body[0].id).toBe('karstas-klientas');
      expect((await admin.delete('/v1/crm/statuses/karstas-klientas')).status).toBe(204);
      expect((await admin.get('/v1/crm/statuses')).body.map((s: any) => s.id)).not.toContain(
        'karstas-klientas',
      );
      expect((await admin.delete('/v1/crm/statuses/karstas-klientas')).status).toBe(404);
    });

    it('refuses a bad definition with 400 naming the field, unknown fields too', async () => {
      const bad = await admin.post('/v1/crm/statuses', { name: 'X', color: 'red', level: 3 });
      expect(bad.status).toBe(400);
      expect(bad.body.code).toBe('validation_failed');
      expect(bad.body.errors.map((e: any) => e.field).sort()).toEqual(['color', 'level']);
      const duplicate = await admin.post('/v1/crm/attributes', { name: 'KLIENTAS' });
      expect(duplicate.status).toBe(400);
      expect(duplicate.body.errors).toEqual([
        { field: 'name', message: expect.stringContaining('already defined') },
      ]);
    });

    it('does not remove a status a client holds (409 status_in_use)', async () => {
      const status = (await admin.post('/v1/crm/statuses', { name: 'Laikinas' })).body.id;
      const id = await newClient();
      expect((await user.put(`/v1/clients/${id}/crm/status`, { statusId: status })).status).toBe(200);
      await eventually(async () => {
        const refused = await admin.delete(`/v1/crm/statuses/${status}`);
        expect(refused.status).toBe(409);
        expect(refused.body.code).toBe('status_in_use');
      });
      await user.put(`/v1/clients/${id}/crm/status`, { statusId: null });
      await eventually(async () =>
        expect((await admin.delete(`/v1/crm/statuses/${status}`)).status).toBe(204),
      );
    });

    it('takes a removed attribute off every client that had it', async () => {
      const attribute = (await admin.post('/v1/crm/attributes', { name: 'Trumpalaikis' })).body.id;
      const [one, two] = [await newClient(), await newClient()];
      for (const id of [one, two]) await user.put(`/v1/clients/${id}/crm/attributes/${attribute}`);
      await user.put(`/v1/clients/${one}/crm/attributes/customer`);
      expect((await admin.delete(`/v1/crm/attributes/${attribute}`)).status).toBe(204);
      // Gone from every summary at once; each holder's timeline records it within moments.
      const summary = await auditor.get(`/v1/clients/${one}/crm`);
      expect(summary.body.attributes.map((a: any) => a.id)).toEqual(['customer']);

      await eventually(async () => {
        const timeline = await auditor.get(`/v1/clients/${two}/timeline?type=attribute`);
        expect(timeline.body.items[0].data).toEqual({
          attributeId: attribute,
          because: 'definition_removed',
          change: 'removed',
        });
      });
    });
  });

  describe('a client’s status and attributes', () => {
    it('sets the status of a client created a moment ago, and shows it in the summary', async () => {
      const id = await newClient('UAB Ką Tik Sukurta');
      const set = await user.put(`/v1/clients/${id}/crm/status`, {
        statusId: 'customer',
        comment: 'pirmas užsakymas',
      });
      expect(set.status).toBe(200);
      expect(set.body).toEqual({
        status: { id: 'customer', name: 'Klientas', color: null, order: 2, closed: false },
        attributes: [],
        rating: { average: null, count: 0 },
        openTasks: 0,
        lastContactAt: null,
      });
      expect((await auditor.get(`/v1/clients/${id}/crm`)).body.status.id).toBe('customer');
    });

    it('refuses a status the tenant does not have (400), an auditor’s write (403), and clears with null', async () => {
      const id = await newClient();
      const unknown = await user.put(`/v1/clients/${id}/crm/status`, { statusId: 'vip' });
      expect(unknown.status).toBe(400);
      expect(unknown.body.errors).toEqual([
        { field: 'statusId', message: expect.stringContaining('no status vip') },
      ]);
      expect((await auditor.put(`/v1/clients/${id}/crm/status`, { statusId: 'customer' })).status).toBe(403);
      await user.put(`/v1/clients/${id}/crm/status`, { statusId: 'partner' });
      const cleared = await user.put(`/v1/clients/${id}/crm/status`, { statusId: null });
      expect(cleared.body.status).toBeNull();
    });

    it('gives and takes attributes idempotently; an unknown attribute is 404', async () => {
      const id = await newClient();
      for (let i = 0; i < 2; i += 1) {
        const given = await user.put(`/v1/clients/${id}/crm/attributes/group-member`);
        expect(given.status).toBe(200);
        expect(given.body.attributes.map((a: any) => a.id)).toEqual(['group-member']);
      }
      expect((await user.put(`/v1/clients/${id}/crm/attributes/nera`)).status).toBe(404);
      expect((await user.delete(`/v1/clients/${id}/crm/attributes/group-member`)).status).toBe(204);
      expect((await user.delete(`/v1/clients/${id}/crm/attributes/group-member`)).status).toBe(204);
      expect((await auditor.get(`/v1/clients/${id}/crm`)).body.attributes).toEqual([]);
      const timeline = await auditor.get(`/v1/clients/${id}/timeline`);
      expect(timeline.body.items.map((e: any) => [e.kind, e.data.change])).toEqual([
        ['attribute', 'removed'],
        ['attribute', 'added'],
      ]);
    });

    it('answers 404 for an unknown client and another tenant’s, 410 for a deleted one', async () => {
      expect((await user.get('/v1/clients/00000000-0000-4000-8000-000000000000/crm')).status).toBe(404);
      const other = await system.createTenant({ name: 'UAB Kitas Nuomininkas', code: '300000777' });
      expect((await other.admin.get(`/v1/clients/${await newClient()}/crm`)).status).toBe(404);
      const id = await newClient();
      expect((await admin.delete(`/v1/clients/${id}`)).status).toBe(204);
      await eventually(async () => {
        const gone = await user.put(`/v1/clients/${id}/crm/status`, { statusId: 'customer' });
        expect(gone.status).toBe(410);
        expect(gone.body.code).toBe('client_deleted');
      });
    });

    it('answers a merged client’s paths with 308 to the survivor’s', async () => {
      const keep = await newClient('UAB Lieka');
      // Without a code of its own: two codes would block the merge.
      const merged = (await admin.post('/v1/clients', { kind: 'company', name: 'UAB Sujungta' })).body.id;
      const merge = await admin.post('/v1/clients/merge', { keepId: keep, mergeIds: [merged] });
      expect(merge.status).toBe(200);
      await eventually(async () => {
        const moved = await auditor.get(`/v1/clients/${merged}/timeline?limit=5`);
        expect(moved.status).toBe(308);
        expect(moved.headers.get('location')).toBe(`/v1/clients/${keep}/timeline?limit=5`);
        expect(moved.body).toEqual({ mergedInto: keep });
      });
    });
  });

  describe('timeline', () => {
    it('lists status and attribute changes newest first, with their author, in cursor pages and by kind', async () => {
      const id = await newClient();
      for (const statusId of ['prospect', 'customer', 'partner'])
        await user.put(`/v1/clients/${id}/crm/status`, { statusId });
      await admin.put(`/v1/clients/${id}/crm/attributes/customer`);
      const first = await auditor.get(`/v1/clients/${id}/timeline?limit=3`);
      expect(first.status).toBe(200);
      expect(first.body.items.map((e: any) => [e.kind, e.data.statusId ?? e.data.attributeId])).toEqual([
        ['attribute', 'customer'],
        ['status', 'partner'],
        ['status', 'customer'],
      ]);
      expect(first.body.items[1]).toEqual({
        id: expect.any(String),
        kind: 'status',
        occurredAt: expect.any(String),
        author: expect.objectContaining({ kind: 'api_key', role: 'user' }),
        data: { statusId: 'partner', previousStatusId: 'customer', comment: null },
      });
      const second = await auditor.get(`/v1/clients/${id}/timeline?limit=3&cursor=${first.body.nextCursor}`);
      expect(second.body.items.map((e: any) => e.data.statusId)).toEqual(['prospect']);
      expect(second.body.nextCursor).toBeNull();
      const statuses = await auditor.get(`/v1/clients/${id}/timeline?type=status`);
      expect(statuses.body.items).toHaveLength(3);
      const future = await auditor.get(`/v1/clients/${id}/timeline?from=2999-01-01T00:00:00Z`);
      expect(future.body.items).toEqual([]);
      expect((await auditor.get(`/v1/clients/${id}/timeline?type=call&limit=0`)).status).toBe(400);
    });
  });
});
