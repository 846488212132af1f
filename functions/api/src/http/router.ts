import type { Caller } from '../auth/caller';
import type { ApiRequest } from './api-request';
import type { Reply } from './responses';

/** What a route handler receives: the request, its path parameters and the verified caller. */
export interface RouteContext {
  request: ApiRequest;
  params: Record<string, string>;
  caller: Caller;
}

/** A route answers with a status and a JSON body, or throws an HttpError. */
export type RouteHandler = (ctx: RouteContext) => Promise<Reply>;

/** Who may call a route: any signed-in user, or members of the admins group only. */
export type RouteAccess = 'user' | 'admin';

interface Route {
  method: string;
  path: string;
  pattern: RegExp;
  keys: string[];
  access: RouteAccess;
  handler: RouteHandler;
}

/** A found route with its decoded path parameters. */
export interface RouteMatch {
  route: { method: string; path: string; access: RouteAccess; handler: RouteHandler };
  params: Record<string, string>;
}

/**
 * A method + path router whose paths are written as API Gateway writes route keys (`/images/{imageId}`), so the
 * template's routes and this table can be compared one to one (tests/template).
 */
export class Router {
  private readonly routes: Route[] = [];

  /** Registers a handler for `METHOD /path/{param}`. @throws Error for a route registered twice. */
  on(method: string, path: string, handler: RouteHandler, access: RouteAccess = 'user'): this {
    if (this.routes.some((route) => route.method === method && route.path === path))
      throw new Error(`Route ${method} ${path} is registered twice`);
    const keys: string[] = [];
    const source = path
      .split('/')
      .map((segment) => {
        const param = /^\{(\w+)\}$/.exec(segment);
        if (!param) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        keys.push(param[1]);
        return '([^/]+)';
      })
      .join('/');
    this.routes.push({ method, path, pattern: new RegExp(`^${source}$`), keys, access, handler });
    return this;
  }

  /** Every route as an API Gateway route key (`GET /images/{imageId}`), with who may call it. */
  routeKeys(): Array<{ routeKey: string; access: RouteAccess }> {
    return this.routes.map((route) => ({ routeKey: `${route.method} ${route.path}`, access: route.access }));
  }

  /** Finds the route for a request; `methodMismatch` is true when the path exists with another method. */
  match(method: string, pathname: string): RouteMatch | { methodMismatch: boolean } {
    let methodMismatch = false;
    for (const route of this.routes) {
      const found = route.pattern.exec(pathname);
      if (!found) continue;
      if (route.method !== method) {
        methodMismatch = true;
        continue;
      }
      const params: Record<string, string> = {};
      route.keys.forEach((key, index) => {
        params[key] = safeDecode(found[index + 1]);
      });
      return { route, params };
    }
    return { methodMismatch };
  }
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
