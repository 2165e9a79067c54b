import { All, Controller, Patch, Req, Res } from '@nestjs/common';
import { Access } from '../auth/access';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { principalOf } from '../auth/principal';
import { FORWARDED_RESPONSE_HEADERS, ServiceClient, ServiceName } from './service-client';

/** The public routes each service serves; their OpenAPI comes from the services (see /docs). */
export const SERVICE_ROUTES: Readonly<Record<ServiceName, readonly string[]>> = {
  clients: ['clients', 'company', 'merges'],
  'import-matching': ['imports', 'settings'],
};

/**
 * Passes an authenticated request to the service that owns its path, as the caller's tenant
 * and actor, and the service's answer (status, body, Location, ETag) back.
 */
@ApiExcludeController()
@Controller('v1')
export class ServiceProxyController {
  constructor(private readonly services: ServiceClient) {}

  @All(['clients', 'clients/*path', 'company', 'merges', 'merges/*path'])
  toClients(@Req() request: Request, @Res() response: Response): Promise<void> {
    return this.forward('clients', request, response);
  }

  // Changing settings is for admins; reading them, for every role.
  @Patch('settings')
  @Access('admin')
  changeSettings(@Req() request: Request, @Res() response: Response): Promise<void> {
    return this.forward('import-matching', request, response);
  }

  @All(['imports', 'imports/*path', 'settings'])
  toImportMatching(@Req() request: Request, @Res() response: Response): Promise<void> {
    return this.forward('import-matching', request, response);
  }

  private async forward(service: ServiceName, request: Request, response: Response): Promise<void> {
    const principal = principalOf(request);
    if (principal.kind !== 'api_key') throw new Error('tenant routes take API keys only');
    const answer = await this.services.call(service, {
      method: request.method,
      path: request.originalUrl,
      tenantId: principal.tenantId,
      principal,
      correlationId: String(request.id),
      headers: request.headers,
      body: Buffer.isBuffer(request.body) ? request.body : undefined,
    });
    for (const name of FORWARDED_RESPONSE_HEADERS) {
      const value = answer.headers.get(name);
      if (value) response.setHeader(name, value);
    }
    response.status(answer.status).end(answer.body);
  }
}
