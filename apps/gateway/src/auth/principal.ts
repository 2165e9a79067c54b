import type { Request } from 'express';

export type Role = 'admin' | 'user' | 'auditor';

/** Who a request authenticated as: the operator, or an API key of one tenant. */
export type Principal =
  | Readonly<{ kind: 'operator'; id: 'operator' }>
  | Readonly<{ kind: 'api_key'; id: string; tenantId: string; role: Role }>;

export type AuthenticatedRequest = Request & { principal?: Principal };

export function principalOf(request: Request): Principal {
  const principal = (request as AuthenticatedRequest).principal;
  if (!principal) throw new Error('no principal: the route is not behind the auth guard');
  return principal;
}
