import { SetMetadata } from '@nestjs/common';

/**
 * Who may call a route (API.md "Conventions"):
 * - `public`: nobody needs a key (health, docs);
 * - `operator`: only the operator key (creating tenants);
 * - `admin`: an admin key of the tenant (API keys, changing settings);
 * - `tenant` (the default): every role may read (GET); admin and user may write;
 * - `key`: any key of a tenant, whatever its role, may read and write (feedback on help);
 * - `proxied`: the rule of the service route the request matches (PROXIED_ROUTES).
 */
export type AccessRule = 'public' | 'operator' | 'admin' | 'tenant' | 'key' | 'proxied';

export const ACCESS_KEY = 'clientbook:access';
export const Access = (rule: AccessRule) => SetMetadata(ACCESS_KEY, rule);
