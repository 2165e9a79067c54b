import { Topics } from '@clientbook/contracts';
import { rawRequest } from './hostile-requests';
import { startSystem, System, Tenant } from './system';

type Operation = { responses: Record<string, any>; requestBody?: any; parameters?: any[] };

// API.md "Health and docs": the OpenAPI document is exact, so generated clients and contract
// testers (schemathesis runs over it in CI: tools/contract-test.sh) agree with the server.
describe('the OpenAPI document says what the API answers', () => {
  let system: System;
  let tenant: Tenant;
  let document: any;
  const operations: [string, string, Operation][] = [];

  beforeAll(async () => {
    system = await startSystem();
    tenant = await system.createTenant();
    document = (await system.anonymous.get('/docs/openapi.json')).body;
    for (const [path, item] of Object.entries<Record<string, Operation>>(document.paths))
      for (const [method, operation] of Object.entries(item))
        operations.push([method.toUpperCase(), path, operation]);
  }, 60_000);

  afterAll(async () => {
    await system?.close();
  });

  it('gives every operation a success and the errors every route can give, as problem+json', () => {
    for (const [method, path, operation] of operations) {
      const statuses = Object.keys(operation.responses);
      expect([method, path, statuses.some((s) => /^[23]/.test(s))]).toEqual([method, path, true]);
      const open = (operation as any).security?.some((s: object) => Object.keys(s).length === 0);
      const always =
        path === '/health'
          ? ['400', '429', '500', '503']
          : open
            ? ['400', '401', '429', '500', '503']
            : ['400', '401', '403', '429', '500', '503'];
      expect([method, path, always.filter((s) => !statuses.includes(s))]).toEqual([method, path, []]);
      for (const status of statuses.filter((s) => Number(s) >= 400))
        expect(operation.responses[status].content['application/problem+json'].schema).toEqual({
          $ref: '#/components/schemas/Problem',
        });
    }
    expect(document.components.schemas.Problem.required).toEqual([
      'type',
      'title',
      'status',
      'detail',
      'code',
      'help',
    ]);
  });

  it('says the help centre’s reads need no key, and every other route does', () => {
    const open = operations.filter(([, , op]) =>
      (op as any).security?.some((s: object) => Object.keys(s).length === 0),
    );
    expect(open.map(([method, path]) => `${method} ${path}`).sort()).toEqual([
      'GET /v1/kb/articles',
      'GET /v1/kb/articles/{slug}',
      'GET /v1/kb/articles/{slug}/history',
      'GET /v1/kb/media/{mediaId}',
      'GET /v1/kb/search',
    ]);
  });

  it('links every problem answer to the help article on its code, from the gateway and from each service', async () => {
    const admin = tenant.admin;
    const answers = {
      gateway: await system.anonymous.get('/v1/clients'),
      clients: await admin.get('/v1/clients/no-such-client'),
      'import-matching': await admin.get('/v1/imports/no-such-import'),
      crm: await admin.put('/v1/clients/no-such-client/crm/status', { statusId: 'customer' }),
      validation: await admin.post('/v1/clients', { kind: 'planet' }),
    };
    const links = Object.fromEntries(
      Object.entries(answers).map(([from, answer]) => [from, answer.body.help]),
    );
    expect(links).toEqual({
      gateway: '/v1/kb/articles/error-unauthorized',
      clients: '/v1/kb/articles/error-not-found',
      'import-matching': '/v1/kb/articles/error-not-found',
      crm: '/v1/kb/articles/error-not-found',
      validation: '/v1/kb/articles/error-validation-failed',
    });
  });

  it('serves the AsyncAPI 3 document of this deployment: every topic under its prefixed name', async () => {
    const served = await system.anonymous.get('/docs/asyncapi.json');
    expect(served.status).toBe(200);
    expect(served.body.asyncapi).toMatch(/^3\./);
    const addresses = Object.values<{ address: string }>(served.body.channels).map((c) => c.address);
    expect(addresses.sort()).toEqual(
      Object.values(Topics)
        .map((topic) => `${system.databasePrefix}.${topic}`)
        .sort(),
    );
  });

  it('refuses unknown fields in every JSON body it documents', () => {
    for (const [, , operation] of operations) {
      const ref = operation.requestBody?.content?.['application/json']?.schema?.$ref as string | undefined;
      if (ref)
        expect(
          document.components.schemas[ref.replace('#/components/schemas/', '')].additionalProperties,
        ).toBe(false);
    }
  });

  it('answers the statuses it documents: 404 and 410 of a client, 405 with Allow elsewhere', async () => {
    const missing = await tenant.admin.get('/v1/clients/no-such-client');
    expect(missing.status).toBe(404);
    expect(Object.keys(document.paths['/v1/clients/{id}'].get.responses)).toEqual(
      expect.arrayContaining(['200', '308', '404', '410']),
    );
    for (const [method, target, allow] of [
      ['PUT', '/health', 'GET, HEAD'],
      ['DELETE', '/v1/tenants', 'POST'],
      // A literal path is its own route, not /v1/clients/{id} with the id "merge".
      ['GET', '/v1/clients/merge', 'POST'],
      ['OPTIONS', '/v1/clients/bulk-update', 'POST'],
    ] as const) {
      const answer = await rawRequest(system.baseUrl, method, target, {
        headers: { authorization: `Bearer ${tenant.admin.key}` },
      });
      expect([method, target, answer.status, answer.headers.allow]).toEqual([method, target, 405, allow]);
    }
  });
});
