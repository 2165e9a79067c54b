import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { GatewayConfig } from '../gateway-config';

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
          'Errors are application/problem+json with a stable `code`. Lists are `{ items, nextCursor }` with `limit` (≤ 500) and `cursor`.',
      )
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  let cached: { at: number; document: OpenAPIObject } | null = null;

  const merged = async (): Promise<OpenAPIObject> => {
    if (cached && Date.now() - cached.at < CACHE_MS) return cached.document;
    const services = await Promise.all(
      Object.values(config.services).map(async (url) => {
        try {
          const response = await fetch(`${url}/internal/openapi.json`, { signal: AbortSignal.timeout(2000) });
          return response.ok ? ((await response.json()) as OpenAPIObject) : null;
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
    cached = { at: Date.now(), document };
    return document;
  };

  SwaggerModule.setup('docs', app, own, {
    jsonDocumentUrl: 'docs/openapi.json',
    swaggerOptions: { url: '/docs/openapi.json' },
    patchDocumentOnRequest: (_request, _response, _document) => merged(),
  });
}
