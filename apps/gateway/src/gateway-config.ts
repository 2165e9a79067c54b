import { readServiceConfig, ServiceConfig } from '@clientbook/platform';

export type GatewayConfig = ServiceConfig &
  Readonly<{
    /** The services behind the gateway, by the name `/health` reports them under. */
    services: Readonly<Record<'clients' | 'import-matching', string>>;
    /** Requests per minute one API key may make. */
    rateLimitPerMinute: number;
  }>;

export function readGatewayConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const rateLimit = Number(env.RATE_LIMIT_PER_MINUTE || 6000);
  if (!Number.isInteger(rateLimit) || rateLimit < 1)
    throw new Error('RATE_LIMIT_PER_MINUTE must be a positive whole number');
  return {
    ...readServiceConfig('gateway', { port: 3000, portVariable: 'PORT' }, env),
    services: {
      clients: env.CLIENTS_URL || `http://127.0.0.1:${env.CLIENTS_PORT || 3101}`,
      'import-matching': env.IMPORT_MATCHING_URL || `http://127.0.0.1:${env.IMPORT_MATCHING_PORT || 3102}`,
    },
    rateLimitPerMinute: rateLimit,
  };
}

export const GATEWAY_CONFIG = Symbol('GATEWAY_CONFIG');
/** SHA-256 of the operator key; the key itself is not kept in memory past start-up. */
export const OPERATOR_KEY_DIGEST = Symbol('OPERATOR_KEY_DIGEST');
