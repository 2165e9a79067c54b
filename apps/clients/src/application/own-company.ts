import { createHash } from 'node:crypto';

/** The own company's id follows from the tenant, so creating a tenant can be retried safely. */
export function ownCompanyId(tenantId: string): string {
  const hex = createHash('sha256').update(`own-company:${tenantId}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
