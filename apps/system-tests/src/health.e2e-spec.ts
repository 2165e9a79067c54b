import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { freePort, uniqueName } from '@clientbook/testing';
import { GatewayModule, readGatewayConfig } from '@clientbook/gateway-app';

describe('GET /health when a service does not answer', () => {
  let app: INestApplication;

  beforeAll(async () => {
    const nobody = await freePort();
    const config = readGatewayConfig({
      ...process.env,
      CLIENTBOOK_DB_PREFIX: uniqueName('health').replace(/-/g, '_'),
      CLIENTS_URL: `http://127.0.0.1:${nobody}`,
      LOG_LEVEL: 'silent',
    });
    const moduleRef = await Test.createTestingModule({
      imports: [GatewayModule.forConfig(config, Buffer.alloc(32))],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();
  });

  afterAll(async () => {
    await app.close();
  });

  it('answers 503 and names the part that is down', async () => {
    const response = await request(app.getHttpServer()).get('/health');
    expect(response.status).toBe(503);
    expect(response.body.status).toBe('down');
    expect(response.body.parts).toMatchObject({ gateway: 'up', clients: 'down', mongodb: 'up', kafka: 'up' });
    expect(response.body.detail).toContain('clients');
  });
});
