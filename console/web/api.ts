import type { VariantView } from '../server/images/image-views';

/** An API error answer, with the server's code and message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Calls the console API and returns its JSON. @throws ApiError for any non-2xx answer. */
export async function api<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const response = await fetch(path, {
    method: init.method ?? 'GET',
    headers: init.body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
    credentials: 'same-origin',
  });
  const text = await response.text();
  let parsed: unknown = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = null;
  }
  if (!response.ok) {
    const error = (parsed as { error?: { code?: string; message?: string } } | null)?.error;
    throw new ApiError(response.status, error?.code ?? 'HttpError', error?.message ?? `HTTP ${response.status}`);
  }
  return parsed as T;
}

/** Builds a query string from defined values only. */
export function queryString(params: Record<string, string | number | boolean | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** A variant as the API lists it: the server's own type, so the two cannot drift apart. */
export type Variant = VariantView;

/** The image listing shape (see console/README.md). */
export interface ImageSummary {
  imageId: string;
  status: string;
  name: string;
  key: string | null;
  createdAt: string | null;
  updatedAt: string | null;
  format: string | null;
  width: number | null;
  height: number | null;
  bytes: number | null;
  placeholder: { kind?: string; value?: string } | null;
  thumbnail: Variant | null;
  labels: Array<{ name: string; confidence: number | null }>;
  matchedLabel: { name: string; confidence: number | null } | null;
  faceCount: number;
  moderated: boolean;
  error: { name?: string; cause?: string } | null;
  executionName: string | null;
}

/** A page of any listing. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
