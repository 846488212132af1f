import type { IncomingMessage, ServerResponse } from 'node:http';

/** What a route handler receives: the parsed URL, path parameters and the raw exchange. */
export interface RouteContext {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  params: Record<string, string>;
}

/** A route answers either with a JSON-able value (sent as 200) or by writing to `res` itself and returning undefined. */
export type RouteHandler = (ctx: RouteContext) => Promise<unknown>;

interface Route {
  method: string;
  pattern: RegExp;
  keys: string[];
  handler: RouteHandler;
}

/** A tiny method + path router; `:name` segments match one percent-decoded path segment. */
export class Router {
  private readonly routes: Route[] = [];

  /** Registers a handler for a method and a path such as `/api/images/:imageId`. */
  on(method: string, path: string, handler: RouteHandler): this {
    const keys: string[] = [];
    const source = path
      .split('/')
      .map((segment) => {
        if (!segment.startsWith(':')) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        keys.push(segment.slice(1));
        return '([^/]+)';
      })
      .join('/');
    this.routes.push({ method, pattern: new RegExp(`^${source}$`), keys, handler });
    return this;
  }

  /** Finds the route for a request; `methodMismatch` is true when the path exists with another method. */
  match(method: string, pathname: string): { handler: RouteHandler; params: Record<string, string> } | { methodMismatch: boolean } {
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
      return { handler: route.handler, params };
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
