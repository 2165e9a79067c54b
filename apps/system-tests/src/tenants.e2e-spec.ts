import { randomUUID } from 'node:crypto';
import { ApiCaller, startSystem, System } from './system';

// API.md "Tenants and keys": a tenant created again with the same Idempotency-Key is not a second tenant.
describe('creating a tenant safely again', () => {
  let system: System;
  let codeSeq = 310_000_000;
  const company = () => ({ name: 'UAB Pakartotinė', code: String(codeSeq++) });
  const create = (body: unknown, key?: string) =>
    system.operator.post('/v1/tenants', body, key === undefined ? {} : { 'idempotency-key': key });

  beforeAll(async () => {
    system = await startSystem();
  }, 60_000);

  afterAll(async () => {
    await system?.close();
  });

  it('answers a retry with the same key and body with the same tenant and a new admin key, the first revoked', async () => {
    const body = { company: company() };
    const key = `tenant-${randomUUID()}`;
    const first = await create(body, key);
    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const again = await create(body, key);
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual({
      tenantId: first.body.tenantId,
      companyId: first.body.companyId,
      adminKey: expect.any(String),
    });
    expect(again.body.adminKey).not.toBe(first.body.adminKey);
    const admin = new ApiCaller(system.baseUrl, again.body.adminKey);
    // One tenant with one own company: nothing was made twice.
    const clients = await admin.get('/v1/clients');
    expect(clients.status).toBe(200);
    expect(clients.body.items.map((c: any) => c.id)).toEqual([first.body.companyId]);
    expect((await new ApiCaller(system.baseUrl, first.body.adminKey).get('/v1/company')).status).toBe(401);
  });

  it('refuses the same key with another body, making no tenant', async () => {
    const key = `tenant-${randomUUID()}`;
    const made = await create({ company: company() }, key);
    expect(made.status).toBe(201);
    const other = await create({ company: company() }, key);
    expect(other.status).toBe(400);
    expect(other.body).toMatchObject({
      code: 'validation_failed',
      errors: [{ field: 'Idempotency-Key', message: expect.stringContaining('another request') }],
    });
    // The tenant made first is untouched: its admin key still works.
    expect((await new ApiCaller(system.baseUrl, made.body.adminKey).get('/v1/company')).status).toBe(200);
  });

  it('makes two tenants of two requests without a key, as before', async () => {
    const body = { company: company() };
    const [one, two] = [await create(body), await create({ company: company() })];
    expect([one.status, two.status]).toEqual([201, 201]);
    expect(one.body.tenantId).not.toBe(two.body.tenantId);
  });

  it.each([
    ['empty', ''],
    ['with a space', 'a key'],
    ['longer than 255 characters', 'k'.repeat(256)],
  ])('refuses an Idempotency-Key that is %s with 400 naming the header', async (_what, key) => {
    const refused = await create({ company: company() }, key);
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual([{ field: 'Idempotency-Key', message: expect.any(String) }]);
  });
});
