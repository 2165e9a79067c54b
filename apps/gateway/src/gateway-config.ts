import { z } from 'zod';
import {
  readEnvironment,
  readServiceConfig,
  ServiceConfig,
  serviceUrl,
  wholeNumber,
} from '@clientbook/platform';

export type GatewayConfig = ServiceConfig &
  Readonly<{
    /** The services behind the gateway, by the name `/health` reports them under. */
    services: Readonly<Record<'clients' | 'import-matching' | 'crm' | 'knowledge-base' | 'invoices', string>>;
    /** Requests per minute one API key (or, without a key, one client address) may make. */
    rateLimitPerMinute: number;
    /** Requests per minute all the keys of one tenant may make together. */
    tenantRateLimitPerMinute: number;
    /** Failed authentications per minute from one client address before it is refused for the minute. */
    authFailuresPerMinute: number;
    /** Express `trust proxy`: whose X-Forwarded-* headers say the client address and TLS (unset: nobody's). */
    trustProxy: string | null;
    /** The operator key as given (OPERATOR_KEY); unset, it is read from or made in the data folder. */
    operatorKey: string | null;
  }>;

const perMinute = wholeNumber(1, 10_000_000, 'a positive whole number');

/** What only the gateway reads, with its defaults. */
const gatewayEnvironment = z.object({
  RATE_LIMIT_PER_MINUTE: perMinute.default(6000),
  RATE_LIMIT_PER_TENANT_PER_MINUTE: perMinute.optional(),
  AUTH_FAILURES_PER_MINUTE: perMinute.default(60),
  TRUST_PROXY: z.string().optional(),
  OPERATOR_KEY: z.string().min(16, { error: 'must have at least 16 characters' }).optional(),
});

export function readGatewayConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const read = readEnvironment(gatewayEnvironment, env);
  return {
    ...readServiceConfig('gateway', env),
    services: {
      clients: serviceUrl('clients', env),
      'import-matching': serviceUrl('import-matching', env),
      crm: serviceUrl('crm', env),
      'knowledge-base': serviceUrl('knowledge-base', env),
      invoices: serviceUrl('invoices', env),
    },
    rateLimitPerMinute: read.RATE_LIMIT_PER_MINUTE,
    tenantRateLimitPerMinute: read.RATE_LIMIT_PER_TENANT_PER_MINUTE ?? 4 * read.RATE_LIMIT_PER_MINUTE,
    authFailuresPerMinute: read.AUTH_FAILURES_PER_MINUTE,
    trustProxy: read.TRUST_PROXY ?? null,
    operatorKey: read.OPERATOR_KEY ?? null,
  };
}

export const GATEWAY_CONFIG = Symbol('GATEWAY_CONFIG');
/** SHA-256 of the operator key; the key itself is not kept in memory past start-up. */
export const OPERATOR_KEY_DIGEST = Symbol('OPERATOR_KEY_DIGEST');
