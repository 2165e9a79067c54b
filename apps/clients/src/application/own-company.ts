import { v5 as nameBasedUuid } from 'uuid';

/** The namespace of own-company ids (a fixed random UUID: ids of this kind are ours alone). */
const OWN_COMPANY = 'bfd89ba3-3186-4d02-9eff-55fb4b885b34';

/** The own company's id follows from the tenant (a name-based UUID), so creating a tenant can be retried safely. */
export function ownCompanyId(tenantId: string): string {
  return nameBasedUuid(tenantId, OWN_COMPANY);
}
