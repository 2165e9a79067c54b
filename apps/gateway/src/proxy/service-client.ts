import { Inject, Injectable } from '@nestjs/common';
import { callService, InternalResponse } from '@clientbook/platform';
import { GATEWAY_CONFIG, GatewayConfig } from '../gateway-config';
import type { Principal } from '../auth/principal';
import type { ServiceName } from './proxied-routes';

export type ServiceResponse = InternalResponse;

// Headers the caller may send on to a service, and those a service's answer may carry back.
const FORWARDED_REQUEST_HEADERS = ['content-type', 'if-match', 'if-none-match', 'accept'];
export const FORWARDED_RESPONSE_HEADERS = [
  'content-type',
  'location',
  'etag',
  'retry-after',
  'cache-control',
  'content-disposition',
];

/** Calls a service on the internal network as the authenticated caller, signed (ADR 0008). */
@Injectable()
export class ServiceClient {
  constructor(@Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig) {}

  call(
    service: ServiceName,
    request: {
      method: string;
      /** Path and query, built by the gateway (never the incoming URL). */
      target: string;
      tenantId: string;
      /** Who asks; none on a public route asked without a key. */
      principal: Principal | undefined;
      correlationId: string;
      headers?: Record<string, string | string[] | undefined>;
      body?: Buffer | string;
    },
  ): Promise<ServiceResponse> {
    const headers: Record<string, string> = {};
    for (const name of FORWARDED_REQUEST_HEADERS) {
      const value = request.headers?.[name];
      if (typeof value === 'string') headers[name] = value;
    }
    const { principal } = request;
    return callService(
      this.config.internalSecret,
      { name: service, baseUrl: this.config.services[service] },
      {
        method: request.method,
        target: request.target,
        tenantId: request.tenantId,
        actor: !principal
          ? { kind: 'system', id: 'public' }
          : principal.kind === 'api_key'
            ? { kind: 'api_key', id: principal.id, role: principal.role }
            : { kind: 'operator', id: principal.id },
        correlationId: request.correlationId,
      },
      { headers, body: request.body },
    );
  }
}
