import iconv from 'iconv-lite';
import { MongoClient } from 'mongodb';
import { randomUUID } from 'node:crypto';
import { callService, signedCallerHeaders } from '@clientbook/platform';
import { eventually, testInfra } from '@clientbook/testing';
import { PROXIED_ROUTES } from '@clientbook/gateway-app';
import { camtStatement, creditEntry } from './camt-statements';
import { rawRequest, withDeclaredSize, zipBombWorkbook } from './hostile-requests';
import { ApiCaller, runImport, startSystem, System, Tenant } from './system';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

// docs/security.md: each hole a black-box probe found, as the request that showed it.
describe('security: what an attacker with a key tries', () => {
  let system: System;
  let tenant: Tenant;
  let user: ApiCaller;

  beforeAll(async () => {
    system = await startSystem();
    tenant = await system.createTenant();
    user = await tenant.as('user');
  }, 60_000);

  afterAll(async () => {
    await system?.close();
  });

  const asUser = (method: string, target: string, body?: string) =>
    rawRequest(system.baseUrl, method, target, {
      headers: { authorization: `Bearer ${user.key}`, 'content-type': 'application/json' },
      body,
    });

  describe('path traversal through the gateway', () => {
    it.each([
      ['PATCH', '/v1/imports/../settings', '{"prioritySearchByName":true}'],
      [
        'POST',
        '/v1/clients/../../internal/clients/x/operations',
        '{"operationId":"o","kind":"bank_payment","ref":"r"}',
      ],
      [
        'POST',
        '/v1/clients/../../internal/clients/registrations',
        '{"clients":[{"id":"chosen-id","card":{"kind":"company","name":"UAB X"}}]}',
      ],
      ['GET', '/v1/clients/../../internal/openapi.json', undefined],
      ['GET', '/v1/clients/%2e%2e/%2e%2e/internal/openapi.json', undefined],
      ['GET', '/v1/clients/.%2e/.%2E/internal/openapi.json', undefined],
      ['GET', '/v1/clients/%252e%252e/%252e%252e/internal/openapi.json', undefined],
      ['GET', '/v1/clients\\..\\..\\internal\\openapi.json', undefined],
      ['GET', '/v1/clients/%5c..%5c..%5cinternal', undefined],
      ['GET', '/v1/clients/x%2f..%2f..%2finternal%2fopenapi.json', undefined],
      ['PATCH', '/v1/imports/./../settings', '{"prioritySearchByName":true}'],
    ])('refuses %s %s with 400', async (method, target, body) => {
      const response = await asUser(method, target, body);
      expect(response.status).toBe(400);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(response.body).toMatchObject({ code: 'validation_failed', errors: [{ field: 'path' }] });
    });

    it('changed nothing: the settings and the clients are as they were', async () => {
      expect((await user.get('/v1/settings')).body).toEqual({ prioritySearchByName: false });
      const clients = (await tenant.admin.get('/v1/clients?status=active')).body.items;
      expect(clients.map((c: any) => c.id)).toEqual([tenant.companyId]);
    });

    it.each(['/internal/health', '/internal/openapi.json', '/v1/internal/operations'])(
      'does not serve %s from outside',
      async (target) => {
        const response = await rawRequest(system.baseUrl, 'GET', target, {
          headers: { authorization: `Bearer ${user.key}` },
        });
        expect(response.status).toBe(404);
        expect(response.body.code).toBe('not_found');
      },
    );

    it('answers 405 with Allow for a method a route does not have', async () => {
      const response = await asUser('PUT', '/v1/settings', '{}');
      expect(response.status).toBe(405);
      expect(response.headers.allow).toBe('GET, PATCH, HEAD');
    });

    it('passes encoded ids on as one segment: they can name nothing but a client', async () => {
      const response = await user.get(`/v1/clients/${encodeURIComponent('ą ?#&=;')}`);
      expect(response.status).toBe(404);
      expect(response.body.code).toBe('not_found');
    });
  });

  it('routes exactly the public routes the services document, no more and no fewer', async () => {
    const document = (await system.anonymous.get('/docs/openapi.json')).body;
    const documented = Object.entries(document.paths as Record<string, Record<string, unknown>>)
      .filter(
        ([path]) => !path.startsWith('/v1/tenants') && !path.startsWith('/v1/api-keys') && path !== '/health',
      )
      .flatMap(([path, operations]) =>
        Object.keys(operations).map(
          (method) => `${method.toUpperCase()} ${path.replace(/\{[^}]+\}/g, '{}')}`,
        ),
      );
    const routed = PROXIED_ROUTES.map((r) => `${r.method} ${r.path.replace(/:\w+/g, '{}')}`);
    expect([...documented].sort()).toEqual([...routed].sort());
  });

  describe('each service checks the caller itself', () => {
    const signed = (
      baseUrl: string,
      method: string,
      target: string,
      actor: { kind: 'api_key' | 'system'; id: string; role?: 'admin' | 'user' | 'auditor' },
      body?: unknown,
    ) =>
      callService(
        system.internalSecret,
        { name: 'test', baseUrl },
        { method, target, tenantId: tenant.tenantId, actor, correlationId: 'security-test' },
        body === undefined
          ? {}
          : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
      );

    it('answers a signed call of the tenant (the control case)', async () => {
      const response = await signed(system.clientsUrl, 'GET', '/v1/company', {
        kind: 'api_key',
        id: 'k',
        role: 'auditor',
      });
      expect(response.status).toBe(200);
      expect(JSON.parse(response.body.toString()).id).toBe(tenant.companyId);
    });

    it('refuses a caller header without a signature, with a stale one, another secret’s or a changed tenant', async () => {
      const call = {
        method: 'GET',
        target: '/v1/company',
        tenantId: tenant.tenantId,
        actor: { kind: 'api_key' as const, id: 'k', role: 'admin' as const },
        correlationId: 'c',
      };
      const unsigned = {
        'x-clientbook-tenant': tenant.tenantId,
        'x-clientbook-actor-kind': 'api_key',
        'x-clientbook-actor-id': 'k',
        'x-clientbook-actor-role': 'admin',
      };
      const stale = signedCallerHeaders(system.internalSecret, call, Date.now() - 60_000);
      const foreign = signedCallerHeaders('another-secret-of-at-least-32-characters', call);
      const moved = { ...signedCallerHeaders(system.internalSecret, call), 'x-clientbook-tenant': 'other' };
      for (const headers of [unsigned, stale, foreign, moved]) {
        const response = await fetch(`${system.clientsUrl}/v1/company`, { headers });
        expect(response.status).toBe(401);
        expect(((await response.json()) as any).code).toBe('unauthorized');
      }
      const docs = await fetch(`${system.importUrl}/internal/openapi.json`);
      expect(docs.status).toBe(401);
    });

    it('refuses a role the route does not allow, even when the gateway signed it', async () => {
      const settings = await signed(
        system.importUrl,
        'PATCH',
        '/v1/settings',
        { kind: 'api_key', id: 'k', role: 'user' },
        { prioritySearchByName: true },
      );
      expect(settings.status).toBe(403);
      const write = await signed(
        system.clientsUrl,
        'POST',
        '/v1/clients',
        { kind: 'api_key', id: 'k', role: 'auditor' },
        { kind: 'company', name: 'UAB Auditorius' },
      );
      expect(write.status).toBe(403);
      const internal = await signed(
        system.clientsUrl,
        'POST',
        '/internal/operations',
        { kind: 'api_key', id: 'k', role: 'admin' },
        { operations: [{ clientId: tenant.companyId, operationId: 'x', kind: 'bank_payment', ref: 'x' }] },
      );
      expect(internal.status).toBe(403);
      expect((await user.get('/v1/settings')).body).toEqual({ prioritySearchByName: false });
    });
  });

  describe('hostile names in a statement', () => {
    it('imports a 160 KB counterparty name at once, cut to what a card holds, while other requests are served', async () => {
      const hostile = 'UAB '.repeat(40_000);
      const xml = camtStatement('HOSTILE-1', [
        creditEntry('H-1', '10.00', { name: hostile }),
        creditEntry('H-2', '20.00', { name: 'UAB Paprastas' }),
      ]);
      const other = await system.createTenant({ name: 'UAB Kaimynas', code: '300000031' });
      let slowest = 0;
      let done = false;
      const probe = (async () => {
        while (!done) {
          const started = performance.now();
          await other.admin.get('/v1/company');
          slowest = Math.max(slowest, performance.now() - started);
        }
      })();
      const started = performance.now();
      const job = await runImport(user, '/v1/imports/bank-statements', {
        raw: xml,
        headers: { 'content-type': 'application/xml' },
      });
      const took = performance.now() - started;
      done = true;
      await probe;
      expect(job.status).toBe('completed');
      expect(job.lines.map((l: any) => l.outcome)).toEqual(['created', 'created']);
      // The first 200 characters, trimmed: "UAB UAB … UAB".
      expect(job.lines[0].name).toBe('UAB '.repeat(50).trim());
      expect(job.lines[0].warnings).toContainEqual(expect.stringContaining('longer than 200 characters'));
      expect(took).toBeLessThan(10_000);
      expect(slowest).toBeLessThan(1_000);
    }, 60_000);
  });

  describe('a zip bomb in a client file', () => {
    let bomb: Buffer;

    beforeAll(async () => {
      bomb = await zipBombWorkbook(400 * 1024 * 1024);
    }, 60_000);

    it('fails its own job (declared 400 MiB) and nothing else', async () => {
      expect(bomb.length).toBeLessThan(1024 * 1024);
      const job = await runImport(user, '/v1/imports/clients', {
        raw: bomb,
        headers: { 'content-type': XLSX },
      });
      expect(job.status).toBe('failed');
      expect(job.error).toMatchObject({
        code: 'payload_too_large',
        message: expect.stringContaining('sharedStrings'),
      });
      expect((await system.anonymous.get('/health')).status).toBe(200);
    }, 60_000);

    it('fails its own job when the zip lies about the size, and the service goes on', async () => {
      const liar = withDeclaredSize(bomb, 'xl/sharedStrings.xml', 2000);
      const job = await runImport(user, '/v1/imports/clients', {
        raw: liar,
        headers: { 'content-type': XLSX },
      });
      expect(job.status).toBe('failed');
      expect(job.error.code).toBe('unparseable_file');
      const csv = await runImport(user, '/v1/imports/clients', {
        raw: 'name\nUAB Po Bombos\n',
        headers: { 'content-type': 'text/csv' },
      });
      expect(csv.lines.map((l: any) => l.outcome)).toEqual(['created']);
    }, 60_000);

    // A file that crashed the process while it was read would crash it again on every restart.
    it.each([
      ['cut short once: it goes on', 0, 'completed'],
      ['cut short twice at the same place: it is failed, not tried for ever', 1, 'failed'],
    ])('a job %s', async (_name, crashes, status) => {
      const client = await new MongoClient(testInfra().mongodbUri).connect();
      try {
        const db = client.db(`${system.databasePrefix}_import_matching`);
        const id = randomUUID();
        const now = new Date().toISOString();
        const csv = Buffer.from(`name\nUAB Atkurta ${crashes}\n`).toString('base64');
        // What a process killed while reading the file leaves behind: a running job, nothing stored.
        await db
          .collection('import_files')
          .insertOne({ _id: id as any, tenantId: tenant.tenantId, content: csv });
        await db.collection('imports').insertOne({
          _id: id as any,
          tenantId: tenant.tenantId,
          kind: 'clients',
          options: { format: 'csv', charset: 'utf-8' },
          status: 'running',
          createdAt: now,
          updatedAt: now,
          correlationId: 'crash-test',
          lineCount: null,
          error: null,
          lastStart: { linesDone: 0, at: now },
          crashes,
        });
        await db
          .collection('import_queue')
          .insertOne({ _id: id as any, tenantId: tenant.tenantId, since: new Date() });
        const job = await eventually(
          async () => {
            const found = (await user.get(`/v1/imports/${id}`)).body;
            expect(['completed', 'failed']).toContain(found.status);
            return found;
          },
          { timeoutMs: 15_000, intervalMs: 100 },
        );
        expect(job.status).toBe(status);
        if (status === 'failed')
          expect(job.error).toEqual({
            code: 'internal',
            message: expect.stringContaining('stopped twice at line 1'),
          });
        else expect(job.lines.map((l: any) => l.outcome)).toEqual(['created']);
      } finally {
        await client.close();
      }
    });
  });

  describe('bad input is a 400 naming the field, never a 500', () => {
    it('refuses JSON nested 5,000 levels deep, at the services and at the gateway', async () => {
      const deep = `{"kind":"company","name":"UAB Gilus","notes":${'['.repeat(5000)}${']'.repeat(5000)}}`;
      const client = await asUser('POST', '/v1/clients', deep);
      expect(client.status).toBe(400);
      expect(client.body).toMatchObject({
        code: 'validation_failed',
        errors: [{ field: expect.stringMatching(/^notes/) }],
      });
      const tenantBody = `{"company":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}`;
      const created = await rawRequest(system.baseUrl, 'POST', '/v1/tenants', {
        headers: { authorization: `Bearer ${system.operator.key}`, 'content-type': 'application/json' },
        body: tenantBody,
      });
      expect(created.status).toBe(400);
      expect(created.body.code).toBe('validation_failed');
    });

    it.each([
      ['__proto__', '{"kind":"company","name":"UAB Proto","__proto__":{"isOwnCompany":true}}', '__proto__'],
      ['constructor', '{"kind":"company","name":"UAB Ctor","constructor":{"prototype":{}}}', 'constructor'],
      [
        'a nested prototype',
        '{"kind":"company","name":"UAB Adr","addresses":[{"line1":"A","city":"B","country":"LT","prototype":1}]}',
        'addresses[0].prototype',
      ],
    ])('refuses a body with a %s key', async (_name, body, field) => {
      const response = await asUser('POST', '/v1/clients', body);
      expect(response.status).toBe(400);
      expect(response.body.errors).toContainEqual({ field, message: expect.any(String) });
    });

    it('refuses a JSON body declared UTF-8 whose bytes are not (a windows-1257 name), storing nothing', async () => {
      const body = Buffer.concat([
        Buffer.from('{"kind":"company","name":"UAB '),
        Buffer.from([0xd0]), // "Š" in windows-1257: no UTF-8 sequence starts like this and ends here
        Buffer.from('ilas bad-utf8"}'),
      ]);
      const response = await rawRequest(system.baseUrl, 'POST', '/v1/clients', {
        headers: { authorization: `Bearer ${user.key}`, 'content-type': 'application/json; charset=utf-8' },
        body,
      });
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ code: 'validation_failed', errors: [{ field: 'body' }] });
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      const listed = await user.get(`/v1/clients?q=${encodeURIComponent('bad-utf8')}`);
      expect(listed.body.items).toEqual([]);
    });

    it('refuses NUL in ids: in the path, and in a bulk update before any client changes', async () => {
      expect((await asUser('GET', '/v1/clients/%00')).status).toBe(400);
      const created = await user.post('/v1/clients', { kind: 'company', name: 'UAB Nulis' });
      const bulk = await user.post('/v1/clients/bulk-update', {
        ids: [created.body.id, '\u0000'],
        set: { residency: 'foreign' },
      });
      expect(bulk.status).toBe(400);
      expect(bulk.body.errors).toEqual([{ field: 'ids[1]', message: expect.stringContaining('NUL') }]);
      const after = await user.get(`/v1/clients/${created.body.id}`);
      expect(after.body).toMatchObject({ residency: 'resident', version: created.body.version });
    });

    it('reads CSV headers named like object built-ins as the unknown columns they are', async () => {
      const job = await runImport(user, '/v1/imports/clients?mapping=%7B%22toString%22%3A%22name%22%7D', {
        raw: 'toString,__proto__,constructor,hasOwnProperty\nUAB Antraštė,x,y,z\n',
        headers: { 'content-type': 'text/csv' },
      });
      expect(job.status).toBe('completed');
      expect(job.lines).toEqual([expect.objectContaining({ name: 'UAB Antraštė', outcome: 'created' })]);
      const plain = await runImport(user, '/v1/imports/clients', {
        raw: 'name,__proto__,toString\nUAB Be Kartografo,x,y\n',
        headers: { 'content-type': 'text/csv' },
      });
      expect(plain.lines).toEqual([
        expect.objectContaining({ name: 'UAB Be Kartografo', outcome: 'created' }),
      ]);
    });

    it('fails a file declared UTF-8 that is not, naming the first bad line', async () => {
      const windows1257 = iconv.encode(
        'name;code\nUAB Pirmas;300000040\nUAB Šilumos Ūkis;300000041\n',
        'windows-1257',
      );
      const job = await runImport(user, '/v1/imports/clients', {
        raw: windows1257,
        headers: { 'content-type': 'text/csv' },
      });
      expect(job.status).toBe('failed');
      expect(job.error).toEqual({
        code: 'unparseable_file',
        message: expect.stringMatching(/^line 3: .*UTF-8/),
      });
      const statement = iconv.encode(
        camtStatement('W-1', [creditEntry('W-1', '1.00', { name: 'UAB Šiluma' })]),
        'windows-1257',
      );
      const camt = await runImport(user, '/v1/imports/bank-statements', {
        raw: statement,
        headers: { 'content-type': 'application/xml' },
      });
      expect(camt.status).toBe('failed');
      expect(camt.error).toEqual({
        code: 'unparseable_file',
        message: expect.stringMatching(/^line 1: .*UTF-8/),
      });
    });

    it('answers TRACE with 405 and an absolute-form target with 400', async () => {
      const trace = await rawRequest(system.baseUrl, 'TRACE', '/v1/clients', {
        headers: { authorization: `Bearer ${user.key}` },
      });
      expect(trace.status).toBe(405);
      expect(trace.body.code).toBe('not_found');
      const absolute = await rawRequest(system.baseUrl, 'GET', 'http://evil.example/v1/clients', {
        headers: { authorization: `Bearer ${user.key}` },
      });
      expect(absolute.status).toBe(400);
      expect(absolute.body.code).toBe('validation_failed');
    });

    it('does not echo a parser’s message with the file’s own text', async () => {
      const job = await runImport(user, '/v1/imports/clients', {
        raw: 'name\n"UAB <script>alert(1)</script>\n',
        headers: { 'content-type': 'text/csv' },
      });
      expect(job.status).toBe('failed');
      expect(job.error.code).toBe('unparseable_file');
      expect(job.error.message).toMatch(/^line 2: /);
      expect(job.error.message).not.toContain('<script>');
    });
  });

  describe('headers', () => {
    it('says nosniff, no framing, and a CSP on every answer', async () => {
      for (const response of [await user.get('/v1/clients'), await system.anonymous.get('/health')]) {
        expect(response.headers.get('x-content-type-options')).toBe('nosniff');
        expect(response.headers.get('x-frame-options')).toBe('DENY');
        expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      }
    });

    it('says them on the answers that refuse a target before any route is looked at too', async () => {
      const refused = [await asUser('GET', '/v1/imports/../settings'), await asUser('TRACE', '/v1/clients')];
      expect(refused.map((r) => r.status)).toEqual([400, 405]);
      for (const response of refused) {
        expect(response.headers['x-content-type-options']).toBe('nosniff');
        expect(response.headers['x-frame-options']).toBe('DENY');
        expect(response.headers['content-security-policy']).toContain("frame-ancestors 'none'");
        expect(response.headers['cache-control']).toBe('no-store');
      }
    });

    it('never lets a key be cached', async () => {
      const key = await tenant.admin.post('/v1/api-keys', { role: 'auditor' });
      expect(key.status).toBe(201);
      expect(key.headers.get('cache-control')).toBe('no-store');
      const created = await system.operator.post('/v1/tenants', {
        company: { name: 'UAB Raktas', code: '300000050' },
      });
      expect(created.headers.get('cache-control')).toBe('no-store');
    });
  });
});

describe('security: limits', () => {
  let system: System;

  beforeAll(async () => {
    system = await startSystem({
      rateLimitPerMinute: 6,
      tenantRateLimitPerMinute: 9,
      authFailuresPerMinute: 5,
      trustProxy: 'loopback',
    });
  }, 60_000);

  afterAll(async () => {
    await system?.close();
  });

  it('throttles key guesses per address before looking keys up', async () => {
    const from = { 'x-forwarded-for': '203.0.113.5' };
    const guesser = new ApiCaller(system.baseUrl, 'cbk_guess');
    for (let i = 0; i < 5; i += 1) expect((await guesser.get('/v1/clients', from)).status).toBe(401);
    const refused = await guesser.get('/v1/clients', from);
    expect(refused.status).toBe(429);
    expect(refused.body.code).toBe('rate_limited');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    // Until its minute is over, that address is refused whatever key it sends (the operator's too).
    expect((await system.operator.get('/v1/clients', from)).status).toBe(429);
    // Another address (as the trusted proxy says) is not held back by this one's guesses.
    expect((await guesser.get('/v1/clients', { 'x-forwarded-for': '203.0.113.6' })).status).toBe(401);
  });

  it('limits a tenant across its keys', async () => {
    const tenant = await system.createTenant(); // the operator's requests count for the operator
    const second = await tenant.as('user'); // the admin key's 1st request of the minute
    for (let i = 0; i < 5; i += 1) expect((await tenant.admin.get('/v1/company')).status).toBe(200);
    // The admin key's six are spent; the tenant has three of its nine left, for any key.
    expect((await tenant.admin.get('/v1/company')).status).toBe(429);
    for (let i = 0; i < 3; i += 1) expect((await second.get('/v1/company')).status).toBe(200);
    const refused = await second.get('/v1/company');
    expect(refused.status).toBe(429);
    expect(refused.body.code).toBe('rate_limited');
  });

  it('looks at every part at most once a second for /health, and throttles it per address', async () => {
    const from = { 'x-forwarded-for': '198.51.100.7' };
    const [a, b] = await Promise.all([
      system.anonymous.get('/health', from),
      system.anonymous.get('/health', from),
    ]);
    expect(a.body.checkedAt).toBe(b.body.checkedAt);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i += 1) statuses.push((await system.anonymous.get('/health', from)).status);
    expect(statuses).toContain(429);
  });

  it('sends HSTS only when the request came over TLS (through a trusted proxy)', async () => {
    const tls = await system.anonymous.get('/health', {
      'x-forwarded-proto': 'https',
      'x-forwarded-for': '198.51.100.8',
    });
    expect(tls.headers.get('strict-transport-security')).toMatch(/^max-age=\d+/);
    const plain = await system.anonymous.get('/health', { 'x-forwarded-for': '198.51.100.9' });
    expect(plain.headers.get('strict-transport-security')).toBeNull();
  });

  it('answers 503 unavailable with Retry-After while a service is down', async () => {
    const tenant = await system.createTenant({ name: 'UAB Laukia', code: '300000060' });
    await system.stopImportMatching();
    const response = await eventually(async () => {
      const answer = await tenant.admin.get('/v1/settings');
      expect(answer.status).toBe(503);
      return answer;
    });
    expect(response.body.code).toBe('unavailable');
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});
