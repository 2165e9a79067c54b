import { EventStore } from '@clientbook/event-store';
import { MONGO_DB } from '@clientbook/platform';
import { eventually } from '@clientbook/testing';
// The test looks inside import-matching at the read model it builds from the clients topic.
import { MatchingClients } from '@clientbook/import-matching-app';
import { startSystem, System, Tenant } from './system';

// Issue 5, deliverable 3: import-matching keeps its own matching model, from client events only.
describe('the matching read model of import-matching', () => {
  let system: System;
  let tenant: Tenant;
  let model: MatchingClients;

  beforeAll(async () => {
    system = await startSystem();
    tenant = await system.createTenant();
    model = system.importApp.get(MatchingClients);
  }, 60_000);

  afterAll(async () => {
    await system?.close();
  });

  const ids = (clients: { id: string }[]) => clients.map((c) => c.id);

  it('follows creates, changes, bank accounts, deletes and merges from the clients topic', async () => {
    const api = tenant.admin;
    const company = (
      await api.post('/v1/clients', {
        kind: 'company',
        name: 'UAB Medžio Darbai',
        code: '302345678',
        bankAccounts: [{ iban: 'LT514010051000111222' }],
      })
    ).body;
    const person = (
      await api.post('/v1/clients', {
        kind: 'person',
        firstName: 'Šarūnas',
        lastName: 'Petrauskas',
        email: 'S@example.lt',
      })
    ).body;
    const index = () => model.forTenant(tenant.tenantId);

    await eventually(() => {
      expect(ids(index().withCode('302 345 678'))).toEqual([company.id]);
      expect(ids(index().withIban('lt51 4010 0510 0011 1222'))).toEqual([company.id]);
      expect(ids(index().withName('MEDZIO DARBAI, UAB'))).toEqual([company.id]);
      expect(ids(index().withName('Petrauskas Sarunas'))).toEqual([person.id]);
      expect(ids(index().withPersonNameAndEmail('Sarunas', 'Petrauskas', 's@EXAMPLE.lt'))).toEqual([
        person.id,
      ]);
    });

    await api.patch(`/v1/clients/${company.id}`, { code: '302345679' });
    await api.delete(`/v1/clients/${company.id}/bank-accounts/${company.bankAccounts[0].id}`);
    await eventually(() => {
      expect(index().withCode('302345678')).toEqual([]);
      expect(ids(index().withCode('302345679'))).toEqual([company.id]);
      expect(index().withIban('LT514010051000111222')).toEqual([]);
    });

    const duplicate = (
      await api.post('/v1/clients', {
        kind: 'person',
        firstName: 'Sarunas',
        lastName: 'Petrauskas',
        bankAccounts: [{ iban: 'LT977300010011223344' }],
      })
    ).body;
    await eventually(() =>
      expect(ids(index().withName('Šarūnas Petrauskas'))).toEqual([person.id, duplicate.id]),
    );
    expect(
      (await api.post('/v1/clients/merge', { keepId: person.id, mergeIds: [duplicate.id] })).status,
    ).toBe(200);
    await eventually(() => {
      expect(ids(index().withName('Šarūnas Petrauskas'))).toEqual([person.id]);
      expect(ids(index().withIban('LT977300010011223344'))).toEqual([person.id]);
      expect(model.resolve(tenant.tenantId, duplicate.id)).toBe(person.id);
    });

    await api.delete(`/v1/clients/${company.id}`);
    await eventually(() => expect(index().withCode('302345679')).toEqual([]));
  });

  it('is not reset by a redelivered first event: a merged client stays out of matching', async () => {
    const api = tenant.admin;
    const keep = (await api.post('/v1/clients', { kind: 'company', name: 'UAB Lieka', code: '301111115' }))
      .body;
    const gone = (
      await api.post('/v1/clients', {
        kind: 'company',
        name: 'UAB Išeina',
        bankAccounts: [{ iban: 'LT601010012345678901' }],
      })
    ).body;
    expect((await api.post('/v1/clients/merge', { keepId: keep.id, mergeIds: [gone.id] })).status).toBe(200);
    // Both sides of the merge are in: the merged client out, its account on the survivor.
    await eventually(() => {
      expect(model.resolve(tenant.tenantId, gone.id)).toBe(keep.id);
      expect(ids(model.forTenant(tenant.tenantId).withIban('LT601010012345678901'))).toEqual([keep.id]);
    });
    // Kafka delivers at least once: the merged client's ClientRegistered comes again.
    const [registered] = await system.clientsApp.get(EventStore).readStream(tenant.tenantId, gone.id, 1);
    await model.apply(registered);
    expect(ids(model.forTenant(tenant.tenantId).withIban('LT601010012345678901'))).toEqual([keep.id]);
    expect(ids(model.forTenant(tenant.tenantId).withName('UAB Išeina'))).toEqual([]);
  });

  it('keeps tenants apart', async () => {
    const other = await system.createTenant({ name: 'UAB Kitas', code: '300000006' });
    await tenant.admin.post('/v1/clients', { kind: 'company', name: 'UAB Tik Mano', code: '301010101' });
    await eventually(() => expect(model.forTenant(tenant.tenantId).withCode('301010101')).toHaveLength(1));
    expect(model.forTenant(other.tenantId).withCode('301010101')).toEqual([]);
  });

  it('comes back whole after a restart, from its own collection', async () => {
    const restarted = new MatchingClients(system.importApp.get(MONGO_DB));
    await restarted.onApplicationBootstrap();
    const index = restarted.forTenant(tenant.tenantId);
    expect(index.size).toBe(model.forTenant(tenant.tenantId).size);
    expect(index.withCode('301010101')).toHaveLength(1);
    expect(index.withName('Sarunas Petrauskas')).toHaveLength(1);
    expect(restarted.resolve(tenant.tenantId, 'nobody')).toBe('nobody');
  });
});
