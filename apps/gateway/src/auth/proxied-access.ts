import { MethodNotAllowedException } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ApiError } from '@clientbook/platform';
import { matchProxiedRoute, ProxiedRoute } from '../proxy/proxied-routes';

export type MatchedRoute = Readonly<{ route: ProxiedRoute; upstreamPath: string }>;

type RoutedRequest = Request & { proxiedRoute?: MatchedRoute };

/**
 * The proxied route a request is for (404 when there is none, 405 with `Allow` when the path
 * exists for other methods), remembered on the request for the proxy.
 */
export function resolveProxiedRoute(request: Request, response: Response): MatchedRoute {
  const found = matchProxiedRoute(request.method, request.path);
  if (found.kind === 'none') throw new ApiError('not_found', `no route ${request.method} ${request.path}`);
  if (found.kind === 'wrong_method') {
    response.setHeader(
      'Allow',
      [...found.allowed, ...(found.allowed.includes('GET') ? ['HEAD'] : [])].join(', '),
    );
    throw new MethodNotAllowedException(
      `${request.method} is not allowed here; allowed: ${found.allowed.join(', ')}`,
    );
  }
  const matched = { route: found.route, upstreamPath: found.upstreamPath };
  (request as RoutedRequest).proxiedRoute = matched;
  return matched;
}

export function matchedRouteOf(request: Request): MatchedRoute {
  const matched = (request as RoutedRequest).proxiedRoute;
  if (!matched) throw new Error('no proxied route: the request did not pass the auth guard');
  return matched;
}
