import { readServiceConfig, ServiceConfig } from '@clientbook/platform';

export type GatewayConfig = ServiceConfig &
  Readonly<{
    /** The services behind the gateway, by the name `/health` reports them under. */
    services: Readonly<Record<'clients' | 'import-matching', string>>;
  }>;

export function readGatewayConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  return {
    ...readServiceConfig('gateway', { port: 3000, portVariable: 'PORT' }, env),
    services: {
      clients: env.CLIENTS_URL || `http://127.0.0.1:${env.CLIENTS_PORT || 3101}`,
      'import-matching': env.IMPORT_MATCHING_URL || `http://127.0.0.1:${env.IMPORT_MATCHING_PORT || 3102}`,
    },
  };
}

export const GATEWAY_CONFIG = Symbol('GATEWAY_CONFIG');
