import { match, MatchFunction } from 'path-to-regexp';
import { paramCount, PROXIED_ROUTES } from '../proxy/proxied-routes';

/** The gateway's own routes, beside the services' (PROXIED_ROUTES). */
const OWN_ROUTES: readonly { method: string; path: string }[] = [
  { method: 'GET', path: '/health' },
  { method: 'POST', path: '/v1/tenants' },
  { method: 'POST', path: '/v1/api-keys' },
  { method: 'DELETE', path: '/v1/api-keys/:id' },
  { method: 'GET', path: '/docs' },
  { method: 'GET', path: '/docs/*asset' },
];

const KNOWN: readonly { method: string; params: number; matches: MatchFunction<object> }[] = [
  ...OWN_ROUTES,
  ...PROXIED_ROUTES,
].map((route) => ({
  method: route.method,
  params: paramCount(route.path),
  matches: match(route.path, { decode: false }),
}));

/**
 * The methods a known path answers (HEAD wherever GET is); empty for a path the API does not
 * have. A literal path's own routes win over a template's (`/v1/clients/merge` is not `:id`).
 */
export function methodsOf(path: string): string[] {
  const matching = KNOWN.filter((route) => route.matches(path));
  if (matching.length === 0) return [];
  const fewest = Math.min(...matching.map((route) => route.params));
  const methods = new Set(matching.filter((route) => route.params === fewest).map((route) => route.method));
  if (methods.has('GET')) methods.add('HEAD');
  return [...methods];
}
