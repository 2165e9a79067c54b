import { EventEnvelope, EVENTS, Topics } from '@clientbook/contracts';
import { ProjectionRunner } from '@clientbook/event-store';
import { eventually, sampleOrders, testInfra, uniqueName } from '@clientbook/testing';
import { Kafka, logLevel } from 'kafkajs';
import { runImport, startSystem, System, Tenant } from './system';

// The project's own sample orders (libs/testing): WC-5001 … WC-5005.
const orders = () => sampleOrders();

// API.md "Imports" for e-shop orders, through the gateway, with the sample orders.
describe('importing e-shop orders', () => {
  let system: System;

  beforeAll(async () => {
    system = await startSystem();
  }, 60_000);

  afterAll(async () => {
    await system?.close();
  });

  const importOrders = (tenant: Tenant, body: unknown) =>
    runImport(tenant.admin, '/v1/imports/eshop-orders', { body });

  const outcomes = (job: any) => job.lines.map((l: any) => [l.ref, l.outcome, l.matchedBy]);

  it('gives every order its documented outcome by default', async () => {
    const tenant = await system.createTenant();
    const job = await importOrders(tenant, orders());
    expect(outcomes(job)).toEqual([
      ['WC-5001', 'created', null],
      ['WC-5002', 'matched', 'name_email'],
      ['WC-5003', 'created', null],
      ['WC-5004', 'created', null],
      ['WC-5005', 'created', null],
    ]);
    expect(job.lines[1].clientId).toBe(job.lines[0].clientId);
    const company = (await tenant.admin.get(`/v1/clients/${job.lines[3].clientId}`)).body;
    expect(company).toMatchObject({
      kind: 'company',
      name: 'MB Saulėta Diena',
      code: '305627344',
      vatCode: 'LT305612812',
      roles: ['buyer'],
      hasOperations: true,
    });
    const jonas = (await tenant.admin.get(`/v1/clients/${job.lines[0].clientId}`)).body;
    expect(jonas).toMatchObject({
      kind: 'person',
      firstName: 'Jonas',
      email: 'jonas.jonaitis@example.com',
      phone: '+37061111222',
      addresses: [expect.objectContaining({ city: 'Šiauliai' })],
    });
    const again = await importOrders(tenant, orders());
    expect(again.totals).toEqual({ lines: 5, matched: 0, created: 0, skipped: 5, failed: 0 });
  }, 60_000);

  it('matches WC-5003 to the first Jonas Jonaitis when the tenant searches by name first', async () => {
    const tenant = await system.createTenant({ name: 'UAB Vardu', code: '300000003' });
    await tenant.admin.patch('/v1/settings', { prioritySearchByName: true });
    const job = await importOrders(tenant, orders());
    expect(outcomes(job).slice(0, 3)).toEqual([
      ['WC-5001', 'created', null],
      ['WC-5002', 'matched', 'name'],
      ['WC-5003', 'matched', 'name'],
    ]);
  }, 60_000);

  it('refuses an order list that does not follow the contract', async () => {
    const tenant = await system.createTenant({ name: 'UAB Griežtas', code: '300000002' });
    const bad = await tenant.admin.post('/v1/imports/eshop-orders', {
      source: 'x',
      orders: [{ orderId: 'A', customer: { firstName: 'A' } }],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: any) => e.field)).toEqual(
      expect.arrayContaining(['orders[0].customer.lastName', 'orders[0].customer.email']),
    );
    expect((await tenant.admin.post('/v1/imports/eshop-orders', { source: 'x', orders: [] })).status).toBe(
      400,
    );
  });

  it.each([
    ['an order without a customer', [{ orderId: 'x' }], 'orders[0].customer'],
    ['a customer that is not an object', [{ orderId: 'x', customer: 'Jonas' }], 'orders[0].customer'],
    ['an order that is not an object', ['WC-1'], 'orders[0]'],
    [
      'an empty order id',
      [{ orderId: '', customer: { firstName: 'A', lastName: 'B', email: 'a@b.lt' } }],
      'orders[0].orderId',
    ],
    [
      'an address that is not an object',
      [{ orderId: 'x', customer: { firstName: 'A', lastName: 'B', email: 'a@b.lt', address: 'Vilnius' } }],
      'orders[0].customer.address',
    ],
  ])('refuses %s at the door, naming the field, with no job made', async (_name, list, field) => {
    const tenant = await system.createTenant({ name: 'UAB Durys', code: '300000012' });
    const bad = await tenant.admin.post('/v1/imports/eshop-orders', { source: 'x', orders: list });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('validation_failed');
    expect(bad.body.errors.map((e: any) => e.field)).toContain(field);
  });

  it('publishes each order and the job’s end on the imports topic', async () => {
    const published: EventEnvelope[] = [];
    const runner = new ProjectionRunner(
      new Kafka({ clientId: 'orders-reader', brokers: testInfra().kafkaBrokers, logLevel: logLevel.NOTHING }),
      { name: 'shop-books', apply: async (event) => void published.push(event) },
      {
        groupId: uniqueName('shop-books'),
        topics: [`${system.databasePrefix}.${Topics.imports}`],
        registry: EVENTS,
      },
    );
    await runner.start();
    try {
      const tenant = await system.createTenant({ name: 'UAB Knygos', code: '300000013' });
      const job = await importOrders(tenant, orders());
      const ofJob = () => published.filter((e) => e.aggregateId === job.id);
      await eventually(() =>
        expect(ofJob().map((e) => e.type)).toEqual([...Array(5).fill('OrderMatched'), 'ImportCompleted']),
      );
      expect(ofJob()[3].data).toMatchObject({
        orderId: 'WC-5004',
        clientId: job.lines[3].clientId,
        outcome: 'created',
        line: 4,
      });
      expect(ofJob()[5].data).toMatchObject({
        kind: 'eshop-orders',
        status: 'completed',
        totals: { lines: 5 },
      });
    } finally {
      await runner.stop();
    }
  }, 60_000);
});
