import { compile, match, MatchFunction, PathFunction } from 'path-to-regexp';
import type { GatewayConfig } from '../gateway-config';

export type ServiceName = keyof GatewayConfig['services'];
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * Who may call a proxied route: `tenant` lets every role of a tenant read (GET) and admin and user
 * write; `admin` is for admin keys only; `operator` for the operator key; `public` for anyone,
 * with or without a key (the help centre, rate-limited per address). The service checks the same again.
 */
export type ProxiedAccess = 'tenant' | 'admin' | 'operator' | 'public' | 'key';

export type ProxiedRoute = Readonly<{
  method: HttpMethod;
  /** The public path, which is also the service's path: `/v1/clients/:id`. */
  path: string;
  service: ServiceName;
  access: ProxiedAccess;
}>;

const route = (
  method: HttpMethod,
  path: string,
  service: ServiceName,
  access: ProxiedAccess = 'tenant',
): ProxiedRoute => ({ method, path, service, access });

/**
 * Every public route a service serves (API.md), and nothing else: a request reaches a service only
 * through one of these, on the path built from the route and its parameters. `/internal` is not here.
 */
export const PROXIED_ROUTES: readonly ProxiedRoute[] = [
  route('POST', '/v1/clients', 'clients'),
  route('GET', '/v1/clients', 'clients'),
  route('POST', '/v1/clients/bulk-update', 'clients'),
  route('POST', '/v1/clients/merge', 'clients'),
  route('POST', '/v1/clients/merge/preview', 'clients'),
  route('GET', '/v1/clients/:id', 'clients'),
  route('PATCH', '/v1/clients/:id', 'clients'),
  route('DELETE', '/v1/clients/:id', 'clients'),
  route('GET', '/v1/clients/:id/history', 'clients'),
  route('POST', '/v1/clients/:id/addresses', 'clients'),
  route('PATCH', '/v1/clients/:id/addresses/:addressId', 'clients'),
  route('DELETE', '/v1/clients/:id/addresses/:addressId', 'clients'),
  route('POST', '/v1/clients/:id/bank-accounts', 'clients'),
  route('PATCH', '/v1/clients/:id/bank-accounts/:accountId', 'clients'),
  route('DELETE', '/v1/clients/:id/bank-accounts/:accountId', 'clients'),
  route('GET', '/v1/company', 'clients'),
  route('GET', '/v1/merges', 'clients'),
  route('GET', '/v1/merges/:mergeId', 'clients'),
  route('POST', '/v1/imports/bank-statements', 'import-matching'),
  route('POST', '/v1/imports/eshop-orders', 'import-matching'),
  route('POST', '/v1/imports/clients', 'import-matching'),
  route('GET', '/v1/imports/:id', 'import-matching'),
  route('GET', '/v1/settings', 'import-matching'),
  route('PATCH', '/v1/settings', 'import-matching', 'admin'),
  route('GET', '/v1/crm/statuses', 'crm'),
  route('POST', '/v1/crm/statuses', 'crm', 'admin'),
  route('PATCH', '/v1/crm/statuses/:statusId', 'crm', 'admin'),
  route('DELETE', '/v1/crm/statuses/:statusId', 'crm', 'admin'),
  route('GET', '/v1/crm/attributes', 'crm'),
  route('POST', '/v1/crm/attributes', 'crm', 'admin'),
  route('PATCH', '/v1/crm/attributes/:attributeId', 'crm', 'admin'),
  route('DELETE', '/v1/crm/attributes/:attributeId', 'crm', 'admin'),
  route('POST', '/v1/crm/bulk-update', 'crm'),
  route('GET', '/v1/crm/call-outcomes', 'crm'),
  route('POST', '/v1/crm/call-outcomes', 'crm', 'admin'),
  route('GET', '/v1/clients/:id/crm', 'crm'),
  route('PUT', '/v1/clients/:id/crm/status', 'crm'),
  route('PUT', '/v1/clients/:id/crm/attributes/:attributeId', 'crm'),
  route('DELETE', '/v1/clients/:id/crm/attributes/:attributeId', 'crm'),
  route('GET', '/v1/clients/:id/timeline', 'crm'),
  route('POST', '/v1/clients/:id/crm/activities', 'crm'),
  route('PATCH', '/v1/clients/:id/crm/activities/:activityId', 'crm'),
  route('DELETE', '/v1/clients/:id/crm/activities/:activityId', 'crm'),
  route('POST', '/v1/clients/:id/crm/reviews', 'crm'),
  route('PATCH', '/v1/clients/:id/crm/reviews/:reviewId', 'crm'),
  route('DELETE', '/v1/clients/:id/crm/reviews/:reviewId', 'crm'),
  route('POST', '/v1/clients/:id/crm/tasks', 'crm'),
  route('PATCH', '/v1/clients/:id/crm/tasks/:taskId', 'crm'),
  route('GET', '/v1/crm/tasks', 'crm'),
  route('GET', '/v1/kb/articles', 'knowledge-base', 'public'),
  route('POST', '/v1/kb/articles', 'knowledge-base', 'operator'),
  route('GET', '/v1/kb/articles/:slug', 'knowledge-base', 'public'),
  route('PATCH', '/v1/kb/articles/:slug', 'knowledge-base', 'operator'),
  route('DELETE', '/v1/kb/articles/:slug', 'knowledge-base', 'operator'),
  route('GET', '/v1/kb/articles/:slug/history', 'knowledge-base', 'public'),
  route('POST', '/v1/kb/articles/:slug/publish', 'knowledge-base', 'operator'),
  route('POST', '/v1/kb/articles/:slug/unpublish', 'knowledge-base', 'operator'),
  route('GET', '/v1/kb/search', 'knowledge-base', 'public'),
  route('POST', '/v1/kb/articles/:slug/feedback', 'knowledge-base', 'key'),
  route('GET', '/v1/kb/feedback', 'knowledge-base', 'operator'),
  route('POST', '/v1/kb/media', 'knowledge-base', 'operator'),
  route('GET', '/v1/kb/media/:mediaId', 'knowledge-base', 'public'),
  route('POST', '/v1/invoices', 'invoices'),
  route('GET', '/v1/invoices/:id', 'invoices'),
  route('POST', '/v1/invoices/:id/cancel', 'invoices'),
  route('GET', '/v1/invoices/:id/pdf', 'invoices'),
  route('GET', '/v1/clients/:id/invoices', 'invoices'),
  route('GET', '/v1/clients/:id/invoices/pdf', 'invoices'),
];

/** The first segment of each proxied path (`clients`, `imports`, …), for the gateway's router. */
export const PROXIED_PREFIXES: readonly string[] = [
  ...new Set(PROXIED_ROUTES.map((r) => r.path.split('/')[2])),
];

type CompiledRoute = ProxiedRoute & {
  matches: MatchFunction<Record<string, string>>;
  build: PathFunction<Record<string, string>>;
  params: number;
};

/** How many parameters a template has: a literal path wins over a template that also matches it. */
export const paramCount = (template: string): number => (template.match(/[:*]/g) ?? []).length;

const COMPILED: readonly CompiledRoute[] = PROXIED_ROUTES.map((r) => ({
  ...r,
  params: paramCount(r.path),
  // Parameters come out decoded (`%C5%A0` → `Š`) and go back in encoded, one segment each.
  matches: match<Record<string, string>>(r.path, { decode: decodeURIComponent }),
  build: compile<Record<string, string>>(r.path, { encode: encodeURIComponent }),
}));

export type RouteMatch =
  | { kind: 'found'; route: ProxiedRoute; upstreamPath: string }
  | { kind: 'wrong_method'; allowed: HttpMethod[] }
  | { kind: 'none' };

/**
 * The route a request is for, by method and path (a path the request-target check has passed).
 * `upstreamPath` is built from the route and its parameters, never copied from the request.
 */
export function matchProxiedRoute(method: string, path: string): RouteMatch {
  const wanted = method.toUpperCase() === 'HEAD' ? 'GET' : method.toUpperCase();
  const matching = COMPILED.flatMap((route) => {
    const found = route.matches(path);
    return found ? [{ route, params: found.params }] : [];
  });
  if (matching.length === 0) return { kind: 'none' };
  // `/v1/clients/merge` is that route, not `/v1/clients/:id` with the id "merge".
  const fewest = Math.min(...matching.map((m) => m.route.params));
  const routes = matching.filter((m) => m.route.params === fewest);
  const hit = routes.find((m) => m.route.method === wanted);
  if (hit) return { kind: 'found', route: hit.route, upstreamPath: hit.route.build(hit.params) };
  return { kind: 'wrong_method', allowed: [...new Set(routes.map((m) => m.route.method))] };
}
