import { readServiceConfig } from '@clientbook/platform';

export const config = readServiceConfig('clients', { port: 3101, portVariable: 'CLIENTS_PORT' });
