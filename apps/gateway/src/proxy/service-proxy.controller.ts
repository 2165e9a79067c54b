import { All, Controller, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Access } from '../auth/access';
import { AuthenticatedRequest, principalOf } from '../auth/principal';
import { KB_TENANT } from '@clientbook/contracts';
import { matchedRouteOf } from '../auth/proxied-access';
import { PROXIED_PREFIXES } from './proxied-routes';
import { FORWARDED_RESPONSE_HEADERS, ServiceClient } from './service-client';

/** The query as the gateway parsed it (plain strings), encoded again for the service. */
function queryOf(request: Request): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(request.query)) {
    for (const item of Array.isArray(value) ? value : [value])
      if (typeof item === 'string') params.append(name, item);
  }
  const query = params.toString();
  return query ? `?${query}` : '';
}

/**
 * Passes an authenticated request to the service that owns its route (PROXIED_ROUTES), as the
 * caller's tenant and actor, and the service's answer (status, body, Location, ETag) back. The
 * service's path is built from the matched route, so no request can name another one.
 */
@ApiExcludeController()
@Controller('v1')
export class ServiceProxyController {
  constructor(private readonly services: ServiceClient) {}

  @All(PROXIED_PREFIXES.flatMap((prefix) => [prefix, `${prefix}/*path`]))
  @Access('proxied')
  async forward(@Req() request: Request, @Res() response: Response): Promise<void> {
    const { route, upstreamPath } = matchedRouteOf(request);
    const principal =
      route.access === 'public' ? (request as AuthenticatedRequest).principal : principalOf(request);
    if (principal?.kind !== 'api_key' && route.access !== 'public' && route.access !== 'operator')
      throw new Error('tenant routes take API keys only');
    const answer = await this.services.call(route.service, {
      method: request.method,
      target: `${upstreamPath}${queryOf(request)}`,
      // The help centre is the same for every tenant: it answers under its own.
      tenantId: principal?.kind === 'api_key' ? principal.tenantId : KB_TENANT,
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
