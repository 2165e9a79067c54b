import { readServiceConfig, serviceUrl } from '@clientbook/platform';

export const config = readServiceConfig('invoices');
/** Where the clients service answers (CLIENTS_URL, else CLIENTS_PORT on this host). */
export const clientsUrl = serviceUrl('clients');
