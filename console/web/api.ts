import type { ReprocessCounts, VariantView } from '@smart-image-pipeline/contracts/browser';
import { accessToken, signIn } from './auth';
import { appConfig } from './config';

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

async function parse<T>(response: Response): Promise<T> {
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = null;
  }
  if (!response.ok) {
    const body = parsed as { error?: { code?: string; message?: string }; message?: string } | null;
    throw new ApiError(
      response.status,
      body?.error?.code ?? 'HttpError',
      body?.error?.message ?? body?.message ?? `HTTP ${response.status}`,
    );
  }
  return parsed as T;
}

/**
 * Calls the web app's API (functions/api) with the user's access token and returns its JSON. An expired token is
 * refreshed once; without a session the browser goes to the sign-in.
 * @throws ApiError for any non-2xx answer.
 */
export async function api<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  return withAccessToken<T>((token) =>
    fetch(`${appConfig().apiUrl}${path}`, {
      method: init.method ?? 'GET',
      headers: {
        accept: 'application/json',
        authorization: `Bearer ${token}`,
        ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      credentials: 'omit',
    }),
  );
}

/**
 * Calls one of local mode's own routes on this server (the outbox, the event log), with the same access token: the
 * server answers a user with their own messages and events only, an admin with everyone's. @throws ApiError.
 */
export async function localApi<T>(path: string): Promise<T> {
  return withAccessToken<T>((token) =>
    fetch(path, { headers: { accept: 'application/json', authorization: `Bearer ${token}` }, credentials: 'same-origin' }),
  );
}

/** Sends with the access token, refreshing it once on a 401; without a session the browser goes to the sign-in. */
async function withAccessToken<T>(send: (token: string) => Promise<Response>): Promise<T> {
  let token = await accessToken();
  if (!token) return signIn();
  let response = await send(token);
  if (response.status === 401) {
    token = await accessToken({ forceRefresh: true });
    if (!token) return signIn();
    response = await send(token);
  }
  return parse<T>(response);
}

/** Builds a query string from defined values only. */
export function queryString(params: Record<string, string | number | boolean | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params))
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** A variant as the API lists it, with its short-lived URL. */
export type Variant = VariantView;

/** The image listing shape (functions/api/README.md). */
export interface ImageSummary {
  imageId: string;
  owner: string;
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
  /** For a video, `seconds` is where the matched label is first seen (null for an image). */
  matchedLabel: { name: string; confidence: number | null; seconds?: number | null } | null;
  /** `video` for a video upload (its thumbnail is the poster frame). */
  mediaType?: 'image' | 'video';
  /** A video's length in seconds; null for an image. */
  durationSeconds?: number | null;
  faceCount: number;
  moderated: boolean;
  error: { name?: string; cause?: string } | null;
  executionName: string | null;
  /** The pipeline version that made the stored result (`v1` for results from before versions). */
  pipelineVersion: string;
  /** QUARANTINED (waiting for a review) or REJECTED: no URL, no preview; the console shows a placeholder. */
  withheld?: boolean;
}

/** A video's detail (GET /images/{id} `video`): stream metadata and short-lived URLs (null while withheld). */
export interface VideoDetail {
  durationSeconds: number | null;
  width: number | null;
  height: number | null;
  bytes: number | null;
  container: string | null;
  contentType: string | null;
  frameRate: number | null;
  rotation: number;
  videoCodec: string | null;
  audioCodec: string | null;
  streams: Array<{ kind: string; codec: string | null; codecId: string | null; sampleRate: number | null; channels: number | null }>;
  analysedSeconds: number | null;
  analysisClipped: boolean;
  rendition: { url: string; width: number | null; height: number | null } | null;
  poster: { url: string; width: number | null; height: number | null } | null;
  sprite: {
    url: string;
    columns: number;
    rows: number;
    tileWidth: number;
    tileHeight: number;
    count: number;
    intervalSeconds: number;
  } | null;
  hls: boolean;
  /** The HLS master playlist's path under the API (GET it with the token), or null without a ladder or while withheld. */
  hlsPlaylist: string | null;
}

/** One pending moderation review (GET /admin/reviews), with a presigned URL valid for minutes. */
export interface ReviewEntry {
  imageId: string;
  /** FAILED: the wait or the decision's step failed after its retries; re-run the image to review it again. */
  reviewStatus: 'PENDING' | 'FAILED';
  failure: {
    error: string | null;
    cause: string | null;
    failedAt: string | null;
    executionName: string | null;
    attemptedDecision: string | null;
  } | null;
  owner: string | null;
  revision: string | null;
  name: string | null;
  status: string | null;
  requestedAt: string | null;
  timeoutAt: string | null;
  threshold: number | null;
  labels: Array<{ name: string; confidence: number; parentName?: string }>;
  image: { format?: string; width?: number; height?: number } | null;
  url: string | null;
}

/** GET /admin/reprocess: the config's versions and the latest reprocess runs. */
export interface ReprocessOverview {
  current: string;
  versions: string[];
  runs: Array<{ name: string; status: string; startDate: string | null; stopDate: string | null }>;
}

/** GET /admin/reprocess/{name}: one run's status and, once it ended, its results manifest counts. */
export interface ReprocessRun {
  name: string;
  status: string;
  startDate: string | null;
  stopDate: string | null;
  request: { version?: string; where?: string; maxConcurrency?: number } | null;
  error: { name: string; cause: string } | null;
  counts: ReprocessCounts | null;
}

/** GET /admin/audit: one moderation decision. */
export interface AuditEntry {
  imageId: string;
  owner: string | null;
  revision: string | null;
  decision: string | null;
  reason: string | null;
  decidedBy: string | null;
  decidedByName: string | null;
  decidedAt: string | null;
  timedOut: boolean;
  labels: Array<{ name: string; confidence: number }>;
  threshold: number | null;
  statusBefore: string | null;
  statusAfter: string | null;
  applied: boolean;
}

/** A page of any listing. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** The caller, as GET /me describes them. */
export interface Me {
  sub: string;
  username: string;
  groups: string[];
  isAdmin: boolean;
}
