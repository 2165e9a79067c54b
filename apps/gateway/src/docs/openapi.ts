import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { randomUUID } from 'node:crypto';
import { callService } from '@clientbook/platform';
import type { GatewayConfig } from '../gateway-config';
import { asyncApiDocument } from './asyncapi';
import { exactOpenApi } from './exact-openapi';

const CACHE_MS = 10_000;

/**
 * One OpenAPI document for the whole API: the gateway's own routes plus the paths and schemas
 * each service generates from its code (fetched from `/internal/openapi.json`, cached briefly).
 */
export function mountDocs(app: INestApplication, config: GatewayConfig): void {
  const own = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Clientbook API')
      .setDescription(
        'The clients module: one list of every counterparty, imports without duplicates, auditable merges. ' +
          'Errors are application/problem+json with a stable `code`. Lists are `{ items, nextCursor }` with `limit` (≤ 500) and `cursor`.\n\n' +
          'Every route can also answer: 400 `validation_failed` (field `path`) for a path with dot segments, ' +
          'backslashes, encoded slashes or control characters, raw or percent-encoded, or a target that is not a path; ' +
          '400 for JSON nested deeper than 100 levels, keys `__proto__`/`constructor`/`prototype` or NUL in a string; ' +
          '405 (`Allow` names the methods) for a method the path does not have; 413 `payload_too_large` over 10 MiB; ' +
          '429 `rate_limited` with `Retry-After` (per key, per tenant, and per address after failed authentications); ' +
          '503 `unavailable` with `Retry-After` while a service does not answer. Answers carry `Cache-Control: no-store`.',
      )
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  let cached: { at: number; document: OpenAPIObject } | null = null;

  const merged = async (): Promise<OpenAPIObject> => {
    if (cached && Date.now() - cached.at < CACHE_MS) return cached.document;
    const services = await Promise.all(
      Object.entries(config.services).map(async ([name, baseUrl]) => {
        try {
          const response = await callService(
            config.internalSecret,
            { name, baseUrl },
            {
              method: 'GET',
              target: '/internal/openapi.json',
              tenantId: '',
              actor: { kind: 'system', id: 'gateway' },
              correlationId: randomUUID(),
            },
            { timeoutMs: 2000 },
          );
          return response.status === 200
            ? (JSON.parse(response.body.toString('utf8')) as OpenAPIObject)
            : null;
        } catch {
          return null;
        }
      }),
    );
    const document: OpenAPIObject = structuredClone(own);
    for (const service of services) {
      if (!service) continue;
      Object.assign(document.paths, service.paths);
      document.components = {
        ...document.components,
        schemas: { ...document.components?.schemas, ...service.components?.schemas },
      };
    }
    const exact = exactOpenApi(document);
    cached = { at: Date.now(), document: exact };
    return exact;
  };

  // The events' contract beside the API's, generated from the schemas consumers parse with.
  const events = asyncApiDocument({ topicPrefix: config.topicPrefix });
  app
    .getHttpAdapter()
    .get('/docs/asyncapi.json', (_request: unknown, response: { json(body: unknown): void }) =>
      response.json(events),
    );

  SwaggerModule.setup('docs', app, own, {
    jsonDocumentUrl: 'docs/openapi.json',
    swaggerOptions: { url: '/docs/openapi.json' },
    patchDocumentOnRequest: (_request, _response, _document) => merged(),
  });
}
