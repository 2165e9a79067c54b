import { readServiceConfig } from '@clientbook/platform';

export const config = readServiceConfig('clients');
