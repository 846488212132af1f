/** A parsed hash route: `#/images/abc?label=dog` gives path ['images', 'abc'] and query label=dog. */
export interface Route {
  path: string[];
  query: URLSearchParams;
}

/** A page renders into its container and may return a cleanup (to stop polling) for when the route changes. */
export type Page = (container: HTMLElement, route: Route) => void | (() => void);

/** Parses a location hash into a route. */
export function parseHash(hash: string): Route {
  const text = hash.replace(/^#/, '');
  const [pathPart, queryPart = ''] = text.split('?', 2);
  const path = pathPart
    .split('/')
    .filter(Boolean)
    .map((segment) => {
      try {
        return decodeURIComponent(segment);
      } catch {
        return segment;
      }
    });
  return { path, query: new URLSearchParams(queryPart) };
}

/** Builds a hash link from path segments and optional query. */
export function hashLink(path: string[], query?: Record<string, string | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) if (value !== undefined && value !== '') search.set(key, value);
  const text = search.toString();
  return `#/${path.map(encodeURIComponent).join('/')}${text ? `?${text}` : ''}`;
}
