import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { NextFunction, raw, Request, Response } from 'express';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import {
  BODY_LIMIT,
  configureHttp,
  ensureSystemTopics,
  installMiddlewareErrorHandler,
  jsonBodies,
} from '@clientbook/platform';
import { GatewayModule } from './app.module';
import { mountDocs } from './docs/openapi';
import type { GatewayConfig } from './gateway-config';
import { refuseUnsafeTargets } from './http/request-target';
import { digestKey } from './operator/operator-key';
import { PROXIED_PREFIXES } from './proxy/proxied-routes';

/** A year, as HSTS is usually given. */
const HSTS = 'max-age=31536000; includeSubDomains';

/**
 * Headers every answer carries: no sniffing, no framing, a tight CSP (the docs page runs only its
 * own scripts), HSTS when the request came over TLS, and `no-store` on the API: its answers hold
 * tenants' data and, once, keys.
 */
function securityHeaders(app: NestExpressApplication): void {
  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: true,
        directives: { 'frame-ancestors': ["'none'"], 'upgrade-insecure-requests': null },
      },
      frameguard: { action: 'deny' },
      // Sent only when the request came over TLS (below): over plain HTTP it means nothing.
      strictTransportSecurity: false,
    }),
  );
  app.use((request: Request, response: Response, next: NextFunction) => {
    if (request.secure) response.setHeader('Strict-Transport-Security', HSTS);
    if (request.path.startsWith('/v1/')) response.setHeader('Cache-Control', 'no-store');
    next();
  });
}

/** Builds the gateway (not yet listening): used by `main.ts` and by the end-to-end tests. */
export async function createGateway(config: GatewayConfig, operatorKey: string): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(
    GatewayModule.forConfig(config, digestKey(operatorKey)),
    { bufferLogs: true, bodyParser: false },
  );
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  // Headers first, so every answer has them, refusals included.
  if (config.trustProxy) app.set('trust proxy', config.trustProxy);
  securityHeaders(app);
  // Before anything else reads it: a target that is not safe to route is refused unread.
  app.use(refuseUnsafeTargets);
  configureHttp(app, { jsonBodies: false });
  // Bodies for the services pass through as bytes (JSON, XML, CSV, XLSX), limited to 10 MiB here.
  app.use(
    PROXIED_PREFIXES.map((prefix) => `/v1/${prefix}`),
    raw({ type: () => true, limit: BODY_LIMIT }),
  );
  app.use(['/v1/tenants', '/v1/api-keys'], jsonBodies());
  await ensureSystemTopics(config);
  mountDocs(app, config);
  await app.init();
  installMiddlewareErrorHandler(app);
  return app;
}
