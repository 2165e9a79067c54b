import { startSystem, System, Tenant } from './system';

// API.md "Matching": the tenant setting `prioritySearchByName`, through the gateway.
describe('matching settings', () => {
  let system: System;
  let tenant: Tenant;

  beforeAll(async () => {
    system = await startSystem();
    tenant = await system.createTenant();
  }, 60_000);

  afterAll(async () => {
    await system?.close();
  });

  it('starts with prioritySearchByName off and lets an admin turn it on', async () => {
    expect((await tenant.admin.get('/v1/settings')).body).toEqual({ prioritySearchByName: false });
    const changed = await tenant.admin.patch('/v1/settings', { prioritySearchByName: true });
    expect(changed.status).toBe(200);
    expect(changed.body).toEqual({ prioritySearchByName: true });
    expect((await tenant.admin.get('/v1/settings')).body).toEqual({ prioritySearchByName: true });
  });

  it('lets every role read and only an admin change', async () => {
    const user = await tenant.as('user');
    const auditor = await tenant.as('auditor');
    expect((await user.get('/v1/settings')).status).toBe(200);
    expect((await auditor.get('/v1/settings')).status).toBe(200);
    for (const caller of [user, auditor]) {
      const refused = await caller.patch('/v1/settings', { prioritySearchByName: false });
      expect(refused.status).toBe(403);
      expect(refused.body.code).toBe('forbidden');
    }
  });

  it('refuses unknown settings and wrong types', async () => {
    expect((await tenant.admin.patch('/v1/settings', { matchEverything: true })).status).toBe(400);
    expect((await tenant.admin.patch('/v1/settings', { prioritySearchByName: 'yes' })).body.code).toBe(
      'validation_failed',
    );
  });

  it('refuses null for a setting (a setting is on or off) and a PATCH without a body (found by schemathesis)', async () => {
    const before = (await tenant.admin.get('/v1/settings')).body;
    const nulled = await tenant.admin.patch('/v1/settings', { prioritySearchByName: null });
    expect(nulled.status).toBe(400);
    expect(nulled.body.errors).toEqual([expect.objectContaining({ field: 'prioritySearchByName' })]);
    const bodiless = await tenant.admin.request('PATCH', '/v1/settings');
    expect(bodiless.status).toBe(400);
    expect(bodiless.body.errors).toEqual([{ field: 'body', message: 'required' }]);
    expect((await tenant.admin.get('/v1/settings')).body).toEqual(before);
  });

  it('keeps each tenant’s settings its own', async () => {
    const other = await system.createTenant({ name: 'UAB Kitas', code: '300000007' });
    await tenant.admin.patch('/v1/settings', { prioritySearchByName: true });
    expect((await other.admin.get('/v1/settings')).body).toEqual({ prioritySearchByName: false });
  });
});
