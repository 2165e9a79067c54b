import { MongoClient } from 'mongodb';
import { testInfra } from '@clientbook/testing';
import { ApiCaller, startSystem, System, Tenant } from './system';

// API.md "Conventions" and "Tenants and keys": authentication, roles, tenant isolation, rate limits.
describe('access through the gateway', () => {
  let system: System;
  let tenant: Tenant;

  beforeAll(async () => {
    system = await startSystem();
    tenant = await system.createTenant();
  }, 60_000);

  afterAll(async () => {
    await system?.close();
  });

  describe('authentication', () => {
    it.each([
      ['no key', {}],
      ['an unknown key', { authorization: 'Bearer cbk_not-a-key' }],
      ['another scheme', { authorization: 'Basic dXNlcjpwYXNz' }],
    ])('answers 401 unauthorized for %s', async (_name, headers) => {
      const response = await system.anonymous.get('/v1/clients', headers);
      expect(response.status).toBe(401);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      expect(response.body).toMatchObject({ status: 401, code: 'unauthorized' });
    });

    it('answers /health without a key', async () => {
      expect((await system.anonymous.get('/health')).status).toBe(200);
    });
  });

  describe('tenants', () => {
    it('creates a tenant whose own company is its first client', async () => {
      const created = await system.operator.post('/v1/tenants', {
        company: { name: 'UAB Naujas Klientas', code: '301234567', vatCode: 'LT123456715' },
      });
      expect(created.status).toBe(201);
      expect(created.body).toEqual({
        tenantId: expect.any(String),
        adminKey: expect.stringMatching(/^cbk_/),
        companyId: expect.any(String),
      });
      const admin = new ApiCaller(system.baseUrl, created.body.adminKey);
      const company = await admin.get('/v1/company');
      expect(company.body).toMatchObject({
        id: created.body.companyId,
        isOwnCompany: true,
        code: '301234567',
      });
      await new Promise((r) => setTimeout(r, 300));
      const list = await admin.get('/v1/clients');
      expect(list.body.items.map((c: { id: string }) => c.id)).toEqual([created.body.companyId]);
    });

    it('takes only the operator key', async () => {
      const byAdmin = await tenant.admin.post('/v1/tenants', { company: { name: 'UAB X' } });
      expect(byAdmin.status).toBe(403);
      expect(byAdmin.body.code).toBe('forbidden');
      expect((await system.anonymous.post('/v1/tenants', { company: { name: 'UAB X' } })).status).toBe(401);
    });

    it('names the company’s invalid fields and creates nothing', async () => {
      const response = await system.operator.post('/v1/tenants', {
        company: { kind: 'person', firstName: 'A', lastName: 'B', code: '12' },
      });
      expect(response.status).toBe(400);
      expect(response.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
        'company.code',
        'company.kind',
      ]);
      expect((await system.operator.post('/v1/tenants', {})).status).toBe(400);
    });

    it('does not let the operator key into a tenant’s data', async () => {
      const response = await system.operator.get('/v1/clients');
      expect(response.status).toBe(403);
    });
  });

  describe('API keys and roles', () => {
    it('issues a key once and stores only its hash', async () => {
      const issued = await tenant.admin.post('/v1/api-keys', { role: 'user', name: 'bookkeeper' });
      expect(issued.status).toBe(201);
      expect(issued.body).toEqual({
        id: expect.any(String),
        key: expect.stringMatching(/^cbk_[\w-]{43}$/),
        role: 'user',
        name: 'bookkeeper',
      });
      const client = await new MongoClient(testInfra().mongodbUri).connect();
      try {
        const stored = await client
          .db(`${system.databasePrefix}_gateway`)
          .collection('api_keys')
          .find({})
          .toArray();
        expect(stored.length).toBeGreaterThan(0);
        expect(JSON.stringify(stored)).not.toContain(issued.body.key);
        expect(JSON.stringify(stored)).not.toContain(issued.body.key.slice(4));
      } finally {
        await client.close();
      }
    });

    it('refuses a role it does not know and fields it does not know', async () => {
      expect((await tenant.admin.post('/v1/api-keys', { role: 'owner' })).status).toBe(400);
      expect((await tenant.admin.post('/v1/api-keys', { role: 'user', scope: 'all' })).status).toBe(400);
    });

    it('lets a user do everything but API keys', async () => {
      const user = await tenant.as('user');
      expect((await user.post('/v1/clients', { kind: 'company', name: 'UAB Vartotojo' })).status).toBe(201);
      const keys = await user.post('/v1/api-keys', { role: 'user' });
      expect(keys.status).toBe(403);
      expect(keys.body.code).toBe('forbidden');
    });

    it('lets an auditor read and nothing else', async () => {
      const auditor = await tenant.as('auditor');
      const created = await tenant.admin.post('/v1/clients', { kind: 'company', name: 'UAB Audituojamas' });
      expect((await auditor.get(`/v1/clients/${created.body.id}`)).status).toBe(200);
      expect((await auditor.get(`/v1/clients/${created.body.id}/history`)).status).toBe(200);
      expect((await auditor.get('/v1/clients')).status).toBe(200);
      for (const response of [
        await auditor.post('/v1/clients', { kind: 'company', name: 'X' }),
        await auditor.patch(`/v1/clients/${created.body.id}`, { notes: 'x' }),
        await auditor.delete(`/v1/clients/${created.body.id}`),
        await auditor.post('/v1/clients/bulk-update', { ids: [created.body.id], set: { residency: 'eu' } }),
        await auditor.post('/v1/api-keys', { role: 'auditor' }),
      ]) {
        expect(response.status).toBe(403);
        expect(response.body.code).toBe('forbidden');
      }
    });

    it('revokes a key: 204, then the key answers 401', async () => {
      const issued = await tenant.admin.post('/v1/api-keys', { role: 'user' });
      const user = new ApiCaller(system.baseUrl, issued.body.key);
      expect((await user.get('/v1/clients')).status).toBe(200);
      expect((await tenant.admin.delete(`/v1/api-keys/${issued.body.id}`)).status).toBe(204);
      expect((await user.get('/v1/clients')).status).toBe(401);
      expect((await tenant.admin.delete(`/v1/api-keys/${issued.body.id}`)).status).toBe(404);
    });
  });

  describe('tenant isolation', () => {
    it('answers another tenant’s client exactly like one that does not exist, on every route', async () => {
      const other = await system.createTenant({ name: 'UAB Kitas Nuomininkas', code: '309999999' });
      const secret = await tenant.admin.post('/v1/clients', {
        kind: 'company',
        name: 'UAB Slaptas',
        code: '301111111',
        addresses: [{ line1: 'A', city: 'Vilnius', country: 'LT' }],
        bankAccounts: [{ iban: 'LT121000011101001000' }],
      });
      const id = secret.body.id;
      const addressId = secret.body.addresses[0].id;
      const accountId = secret.body.bankAccounts[0].id;
      const attempts = [
        await other.admin.get(`/v1/clients/${id}`),
        await other.admin.patch(`/v1/clients/${id}`, { notes: 'mine now' }),
        await other.admin.delete(`/v1/clients/${id}`),
        await other.admin.get(`/v1/clients/${id}/history`),
        await other.admin.post(`/v1/clients/${id}/addresses`, { line1: 'B', city: 'Kaunas', country: 'LT' }),
        await other.admin.patch(`/v1/clients/${id}/addresses/${addressId}`, { city: 'Kaunas' }),
        await other.admin.delete(`/v1/clients/${id}/addresses/${addressId}`),
        await other.admin.post(`/v1/clients/${id}/bank-accounts`, { iban: 'DE89370400440532013000' }),
        await other.admin.patch(`/v1/clients/${id}/bank-accounts/${accountId}`, { main: true }),
        await other.admin.delete(`/v1/clients/${id}/bank-accounts/${accountId}`),
      ];
      for (const response of attempts) {
        expect(response.status).toBe(404);
        expect(response.body.code).toBe('not_found');
      }
      const bulk = await other.admin.post('/v1/clients/bulk-update', { ids: [id], set: { residency: 'eu' } });
      expect(bulk.body).toEqual({
        updated: [],
        failed: [{ id, code: 'not_found', message: expect.any(String) }],
      });
      await new Promise((r) => setTimeout(r, 500));
      expect((await other.admin.get('/v1/clients?q=slaptas')).body.items).toEqual([]);
      expect((await other.admin.get('/v1/clients?code=301111111')).body.items).toEqual([]);
      // And the owner's card is untouched.
      expect((await tenant.admin.get(`/v1/clients/${id}`)).body).toMatchObject({
        version: 1,
        notes: null,
        status: 'active',
      });
    });
  });
});

describe('rate limit per key', () => {
  let system: System;

  beforeAll(async () => {
    system = await startSystem({ rateLimitPerMinute: 5 });
  }, 60_000);

  afterAll(async () => {
    await system?.close();
  });

  it('answers 429 rate_limited past the limit, for that key only', async () => {
    const tenant = await system.createTenant();
    const user = await tenant.as('user');
    // The admin made one request (the user's key); four more reach its limit of five.
    const statuses: number[] = [];
    for (let i = 0; i < 5; i += 1) statuses.push((await tenant.admin.get('/v1/clients')).status);
    expect(statuses).toEqual([200, 200, 200, 200, 429]);
    const limited = await tenant.admin.get('/v1/clients');
    expect(limited.status).toBe(429);
    expect(limited.body.code).toBe('rate_limited');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await user.get('/v1/clients')).status).toBe(200);
  });

  it('limits the public help centre per client address, a key’s budget apart', async () => {
    const tenant = await system.createTenant();
    const statuses: number[] = [];
    for (let i = 0; i < 6; i += 1)
      statuses.push((await system.anonymous.get('/v1/kb/search?q=kodas')).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    const limited = await system.anonymous.get('/v1/kb/articles/error-rate-limited');
    expect([limited.status, limited.body.help]).toEqual([429, '/v1/kb/articles/error-rate-limited']);
    // A key reading the help spends its own budget, not the address's.
    expect((await tenant.admin.get('/v1/kb/articles/error-rate-limited')).status).toBe(200);
  });
});
