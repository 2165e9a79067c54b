import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { json, raw } from 'express';
import { Logger } from 'nestjs-pino';
import {
  BODY_LIMIT,
  configureHttp,
  ensureSystemTopics,
  installMiddlewareErrorHandler,
} from '@clientbook/platform';
import { GatewayModule } from './app.module';
import { mountDocs } from './docs/openapi';
import type { GatewayConfig } from './gateway-config';
import { digestKey } from './operator/operator-key';
import { SERVICE_ROUTES } from './proxy/service-proxy.controller';

/** Builds the gateway (not yet listening): used by `main.ts` and by the end-to-end tests. */
export async function createGateway(config: GatewayConfig, operatorKey: string): Promise<INestApplication> {
  const app = await NestFactory.create(GatewayModule.forConfig(config, digestKey(operatorKey)), {
    bufferLogs: true,
    bodyParser: false,
  });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  configureHttp(app, { jsonBodies: false });
  // Bodies for the services pass through as bytes (JSON, XML, CSV, XLSX), limited to 10 MiB here.
  const proxied = Object.values(SERVICE_ROUTES).flatMap((routes) => routes.map((route) => `/v1/${route}`));
  app.use(proxied, raw({ type: () => true, limit: BODY_LIMIT }));
  app.use(
    ['/v1/tenants', '/v1/api-keys'],
    json({ limit: BODY_LIMIT, type: ['application/json', 'application/*+json'] }),
  );
  await ensureSystemTopics(config);
  mountDocs(app, config);
  await app.init();
  installMiddlewareErrorHandler(app);
  return app;
}
