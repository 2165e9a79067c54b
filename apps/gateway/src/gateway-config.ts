import { readServiceConfig, ServiceConfig } from '@clientbook/platform';

export type GatewayConfig = ServiceConfig &
  Readonly<{
    /** The services behind the gateway, by the name `/health` reports them under. */
    services: Readonly<Record<'clients' | 'import-matching', string>>;
    /** Requests per minute one API key (or, without a key, one client address) may make. */
    rateLimitPerMinute: number;
    /** Requests per minute all the keys of one tenant may make together. */
    tenantRateLimitPerMinute: number;
    /** Failed authentications per minute from one client address before it is refused for the minute. */
    authFailuresPerMinute: number;
    /** Express `trust proxy`: whose X-Forwarded-* headers say the client address and TLS (unset: nobody's). */
    trustProxy: string | null;
  }>;

function positive(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const value = Number(env[name] || fallback);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive whole number`);
  return value;
}

export function readGatewayConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const rateLimit = positive(env, 'RATE_LIMIT_PER_MINUTE', 6000);
  return {
    ...readServiceConfig('gateway', { port: 3000, portVariable: 'PORT' }, env),
    services: {
      clients: env.CLIENTS_URL || `http://127.0.0.1:${env.CLIENTS_PORT || 3101}`,
      'import-matching': env.IMPORT_MATCHING_URL || `http://127.0.0.1:${env.IMPORT_MATCHING_PORT || 3102}`,
    },
    rateLimitPerMinute: rateLimit,
    tenantRateLimitPerMinute: positive(env, 'RATE_LIMIT_PER_TENANT_PER_MINUTE', 4 * rateLimit),
    authFailuresPerMinute: positive(env, 'AUTH_FAILURES_PER_MINUTE', 60),
    trustProxy: env.TRUST_PROXY || null,
  };
}

export const GATEWAY_CONFIG = Symbol('GATEWAY_CONFIG');
/** SHA-256 of the operator key; the key itself is not kept in memory past start-up. */
export const OPERATOR_KEY_DIGEST = Symbol('OPERATOR_KEY_DIGEST');
