import { Inject, Injectable } from '@nestjs/common';
import { ApiError, CALLER_HEADERS, CORRELATION_HEADER } from '@clientbook/platform';
import { GATEWAY_CONFIG, GatewayConfig } from '../gateway-config';
import type { Principal } from '../auth/principal';

export type ServiceName = keyof GatewayConfig['services'];

export type ServiceResponse = { status: number; headers: Headers; body: Buffer };

// Headers the caller may send on to a service, and those a service's answer may carry back.
const FORWARDED_REQUEST_HEADERS = ['content-type', 'if-match', 'accept'];
export const FORWARDED_RESPONSE_HEADERS = ['content-type', 'location', 'etag', 'retry-after'];

/** Calls a service on the internal network as the authenticated caller. */
@Injectable()
export class ServiceClient {
  constructor(@Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig) {}

  async call(
    service: ServiceName,
    request: {
      method: string;
      path: string;
      tenantId: string;
      principal: Principal;
      correlationId: string;
      headers?: Record<string, string | string[] | undefined>;
      body?: Buffer | string;
    },
  ): Promise<ServiceResponse> {
    const headers = new Headers();
    for (const name of FORWARDED_REQUEST_HEADERS) {
      const value = request.headers?.[name];
      if (typeof value === 'string') headers.set(name, value);
    }
    headers.set(CALLER_HEADERS.tenant, request.tenantId);
    headers.set(CALLER_HEADERS.actorKind, request.principal.kind);
    headers.set(CALLER_HEADERS.actorId, request.principal.id);
    if (request.principal.kind === 'api_key') headers.set(CALLER_HEADERS.actorRole, request.principal.role);
    headers.set(CORRELATION_HEADER, request.correlationId);
    let response: Response;
    try {
      response = await fetch(`${this.config.services[service]}${request.path}`, {
        method: request.method,
        headers,
        body: request.body && request.body.length > 0 ? request.body : undefined,
        redirect: 'manual',
        signal: AbortSignal.timeout(120_000),
      });
    } catch {
      throw new ApiError('internal', `the ${service} service does not answer; try again shortly`);
    }
    return {
      status: response.status,
      headers: response.headers,
      body: Buffer.from(await response.arrayBuffer()),
    };
  }
}
