import type { INestApplication } from '@nestjs/common';
import { bootstrapService, callService, feedGroupId, readServiceConfig } from '@clientbook/platform';
import { eventually, freePort } from '@clientbook/testing';
// Second instances of the services, beside the ones the system runs.
import { ClientsModule } from '@clientbook/clients-app';
import { ImportMatchingModule, MatchingClients } from '@clientbook/import-matching-app';
import { startSystem, System, Tenant } from './system';

// Several instances of a service: each keeps in-memory indexes (client search, matching) that must
// see every event, so each follows the whole topic under a consumer group of its own.
describe('two instances of each service', () => {
  let system: System;
  let tenant: Tenant;
  const second: INestApplication[] = [];
  let clientsB: { url: string };
  let matchingB: MatchingClients;

  beforeAll(async () => {
    system = await startSystem();
    tenant = await system.createTenant();
    const env = {
      ...process.env,
      CLIENTBOOK_DB_PREFIX: system.databasePrefix,
      CLIENTBOOK_TOPIC_PREFIX: `${system.databasePrefix}.`,
      CLIENTBOOK_INTERNAL_SECRET: system.internalSecret,
      CLIENTBOOK_INSTANCE_ID: 'second',
    };
    const clientsConfig = readServiceConfig('clients', { ...env, CLIENTS_PORT: String(await freePort()) });
    second.push(
      await bootstrapService(ClientsModule.forConfig(clientsConfig), clientsConfig, {
        kafkaConsumer: { groupId: feedGroupId(clientsConfig) },
      }),
    );
    clientsB = { url: `http://127.0.0.1:${clientsConfig.port}` };
    const importConfig = readServiceConfig('import-matching', {
      ...env,
      IMPORT_MATCHING_PORT: String(await freePort()),
    });
    const importB = await bootstrapService(
      ImportMatchingModule.forConfig(importConfig, system.clientsUrl),
      importConfig,
      { kafkaConsumer: { groupId: feedGroupId(importConfig) } },
    );
    second.push(importB);
    matchingB = importB.get(MatchingClients);
  }, 90_000);

  afterAll(async () => {
    for (const app of second) await app.close();
    await system?.close();
  });

  it('agree: what is written through one is listed and matched by the other, every client of it', async () => {
    const codes = Array.from({ length: 24 }, (_, i) => String(301_200_000 + i));
    // Written through the gateway, so by the first instance; clients spread over every partition.
    for (const code of codes)
      expect(
        (await tenant.admin.post('/v1/clients', { kind: 'company', name: `UAB Dvynys ${code}`, code }))
          .status,
      ).toBe(201);

    const listedBySecond = async () => {
      const response = await callService(
        system.internalSecret,
        { name: 'clients', baseUrl: clientsB.url },
        {
          method: 'GET',
          target: '/v1/clients?limit=500&q=Dvynys',
          tenantId: tenant.tenantId,
          actor: { kind: 'api_key', id: 'test', role: 'auditor' },
          correlationId: 'instances',
        },
      );
      return (JSON.parse(response.body.toString()) as { items: { code: string }[] }).items.map((c) => c.code);
    };
    await eventually(async () => expect((await listedBySecond()).sort()).toEqual(codes), {
      timeoutMs: 30_000,
    });
    await eventually(
      () => {
        for (const code of codes) expect(matchingB.forTenant(tenant.tenantId).withCode(code)).toHaveLength(1);
      },
      { timeoutMs: 30_000 },
    );
    // Changes too (the second finds the card already written by the first, and still indexes it).
    const listed = (await tenant.admin.get('/v1/clients?limit=500&q=Dvynys')).body.items as any[];
    const renamed = listed.slice(0, 3);
    for (const client of renamed)
      expect(
        (await tenant.admin.patch(`/v1/clients/${client.id}`, { name: `UAB Pervadintas ${client.code}` }))
          .status,
      ).toBe(200);
    await eventually(async () => expect(await listedBySecond()).toHaveLength(codes.length - 3), {
      timeoutMs: 30_000,
    });
    await eventually(() => {
      for (const client of renamed)
        expect(
          matchingB
            .forTenant(tenant.tenantId)
            .withName(`UAB Pervadintas ${client.code}`)
            .map((c) => c.id),
        ).toEqual([client.id]);
    });
    // And the first instance, as ever.
    await eventually(async () => {
      const listedByFirst = (await tenant.admin.get('/v1/clients?limit=500&q=Dvynys')).body.items;
      expect(listedByFirst.map((c: any) => c.code).sort()).toEqual(codes.slice(3));
    });
  }, 90_000);
});
