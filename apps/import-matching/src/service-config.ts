import { readServiceConfig } from '@clientbook/platform';

export const config = readServiceConfig('import-matching', {
  port: 3102,
  portVariable: 'IMPORT_MATCHING_PORT',
});
