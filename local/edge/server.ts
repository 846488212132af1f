import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { AwsServiceError } from './aws-error';
import { decideCors, preflightHeaders } from './cors';
import { applyFaults, parseFaults, type FaultConfig } from './faults';
import { awsJsonProtocol } from './protocols/aws-json';
import { asServiceError } from './protocols/protocol';
import { answerWith, routeRequest } from './router';
import { readSigV4Scope } from './sigv4';
import type { EdgeRequest, EdgeResponse, EdgeService } from './types';
import { listen } from './listen';

/**
 * Largest request body the edge buffers (512 MiB). S3 allows 5 GB in one PUT, but local mode buffers bodies
 * in memory and the resizer refuses anything over 100 MiB anyway; bigger files go through multipart (one part per request).
 */
export const DEFAULT_MAX_BODY_BYTES = 512 * 1024 * 1024;

/** How the edge answers calls that no service claims. */
const EDGE_PROTOCOL = awsJsonProtocol({ version: '1.1', namespace: 'com.amazonaws.local', internalErrorCode: 'InternalFailure' });

/** Options of the edge endpoint; only host, port, services and maxBodyBytes are needed. */
export interface EdgeServerOptions {
  /** Interface to bind; local mode is loopback only (default 127.0.0.1). */
  host?: string;
  /** 0 picks a free port (tests); the stack uses EDGE_PORT, default 4566. */
  port?: number;
  services: EdgeService[];
  maxBodyBytes?: number;
  /** Browser origins allowed to call the edge (the console's), e.g. http://127.0.0.1:3000. Others are refused. */
  allowedOrigins?: string[];
  /** Fault injection; defaults to parsing LOCAL_FAULTS, which is off when unset. */
  faults?: FaultConfig;
}

/** A running edge endpoint. */
export interface EdgeServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Host names a loopback service answers to; anything else is a DNS-rebinding attempt from a web page. */
function isLoopbackHost(hostHeader: string | undefined, boundHost: string): boolean {
  if (!hostHeader) return true;
  const hostname = hostHeader.startsWith('[') ? hostHeader.slice(0, hostHeader.indexOf(']') + 1) : hostHeader.split(':')[0];
  const name = hostname.toLowerCase();
  return name === boundHost || name === '127.0.0.1' || name === 'localhost' || name.endsWith('.localhost') || name === '[::1]';
}

/**
 * Starts the single local endpoint that speaks the AWS wire protocols and routes each call to a service.
 * @throws InvalidFaultSpecError when LOCAL_FAULTS cannot be parsed, or the listen error (e.g. EADDRINUSE).
 */
export async function startEdgeServer(opts: EdgeServerOptions): Promise<EdgeServer> {
  const host = opts.host ?? '127.0.0.1';
  const maxBodyBytes = opts.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const allowedOrigins = opts.allowedOrigins ?? [];
  const faults = opts.faults ?? parseFaults(process.env.LOCAL_FAULTS);

  const server = createServer((req, res) => {
    handleRequest(req, res).catch((error: unknown) => {
      if (!res.headersSent) writeResponse(res, EDGE_PROTOCOL.errorResponse(asServiceError(EDGE_PROTOCOL, error)));
      else res.destroy();
    });
  });

  async function handleRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!isLoopbackHost(req.headers.host, host)) {
      req.resume();
      return writeResponse(res, { status: 403, headers: { 'content-type': 'text/plain' }, body: 'Host not allowed\n' });
    }
    const cors = decideCors(req.headers, allowedOrigins);
    if (cors.kind === 'refused') {
      req.resume();
      return writeResponse(res, { status: 403, headers: { 'content-type': 'text/plain' }, body: `Origin ${cors.origin} is not allowed\n` });
    }
    const corsHeaders = cors.kind === 'allowed' ? cors.headers : {};
    if (req.method === 'OPTIONS' && cors.kind === 'allowed') {
      req.resume();
      return writeResponse(res, { status: 200, headers: { ...corsHeaders, ...preflightHeaders(req.headers) } });
    }

    // Concatenate rather than resolve, so a path starting with "//" is never read as a host.
    const rawPath = req.url?.startsWith('/') ? req.url : `/${req.url ?? ''}`;
    const url = new URL(`http://edge.local${rawPath}`);
    const scope = readSigV4Scope(req.headers, url);
    const target = typeof req.headers['x-amz-target'] === 'string' ? req.headers['x-amz-target'] : undefined;
    const head: EdgeRequest = {
      method: req.method ?? 'GET',
      url,
      headers: req.headers,
      body: Buffer.alloc(0),
      signingService: scope?.service,
      target,
      rawPath,
    };
    const service = routeRequest(opts.services, head);

    const protocol = service?.protocol ?? EDGE_PROTOCOL;
    const body = await readBody(req, maxBodyBytes);
    if (body === 'too-large') {
      return writeResponse(
        res,
        withHeaders(protocol.errorResponse(tooLarge(service, req, maxBodyBytes)), { ...corsHeaders, connection: 'close' }),
      );
    }
    const edgeRequest: EdgeRequest = { ...head, body };
    if (!service) return writeResponse(res, withHeaders(unrouted(edgeRequest, opts.services), corsHeaders));

    const injected = await applyFaults(faults, edgeRequest);
    const response = injected ? protocol.errorResponse(injected) : await answerWith(service, edgeRequest);
    writeResponse(res, withHeaders(response, corsHeaders));
  }

  return listen(server, opts.port ?? 4566, host);
}

/** Buffers the body, stopping early (without reading the rest) once it passes the cap. */
async function readBody(req: IncomingMessage, maxBodyBytes: number): Promise<Buffer | 'too-large'> {
  const declared = Number(req.headers['x-amz-decoded-content-length'] ?? req.headers['content-length'] ?? 0);
  if (declared > maxBodyBytes) return 'too-large';
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    total += chunk.length;
    // aws-chunked framing adds ~90 bytes per 64 KiB chunk (~0.15 %), so allow a margin over the decoded cap.
    if (total > maxBodyBytes * 1.01 + 64 * 1024) return 'too-large';
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, total);
}

/** The error the real service gives for a body over its limit. */
function tooLarge(service: EdgeService | undefined, req: IncomingMessage, maxBodyBytes: number): AwsServiceError {
  if (service?.name === 's3') {
    const proposed = String(req.headers['x-amz-decoded-content-length'] ?? req.headers['content-length'] ?? '');
    return new AwsServiceError('EntityTooLarge', 400, 'Your proposed upload exceeds the maximum allowed size', {
      ProposedSize: proposed,
      MaxSizeAllowed: String(maxBodyBytes),
    });
  }
  return new AwsServiceError('RequestEntityTooLarge', 413, `Request body exceeds ${maxBodyBytes} bytes`);
}

/** Answers calls no service claims: a short index for a browser, an AWS-style error for a client. */
function unrouted(req: EdgeRequest, services: readonly EdgeService[]): EdgeResponse {
  if (!req.signingService && !req.target && req.method === 'GET' && req.url.pathname === '/') {
    return {
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ edge: 'smart-image-pipeline local', services: services.map((service) => service.name) }),
    };
  }
  const what = req.target ?? req.signingService ?? `${req.method} ${req.url.pathname}`;
  return EDGE_PROTOCOL.errorResponse(new AwsServiceError('UnknownOperationException', 400, `The local edge does not serve ${what}`));
}

function withHeaders(response: EdgeResponse, headers: Record<string, string>): EdgeResponse {
  return { ...response, headers: { ...headers, ...response.headers } };
}

function writeResponse(res: ServerResponse, response: EdgeResponse): void {
  const headers: Record<string, string> = { ...response.headers };
  const requestId = headers['x-amz-request-id'] ?? headers['x-amzn-requestid'] ?? globalThis.crypto.randomUUID();
  headers['x-amzn-requestid'] ??= requestId;
  headers['x-amz-request-id'] ??= requestId;
  const body = response.body;
  if (body === undefined || typeof body === 'string' || Buffer.isBuffer(body)) {
    const bytes = body === undefined ? Buffer.alloc(0) : Buffer.isBuffer(body) ? body : Buffer.from(body);
    if (!hasHeader(headers, 'content-length')) headers['content-length'] = String(bytes.length);
    res.writeHead(response.status, headers);
    res.end(bytes);
    return;
  }
  res.writeHead(response.status, headers);
  const stream = body instanceof Readable ? body : Readable.from(body as AsyncIterable<Buffer>);
  stream.on('error', () => res.destroy());
  stream.pipe(res);
}

function hasHeader(headers: Record<string, string>, name: string): boolean {
  return Object.keys(headers).some((key) => key.toLowerCase() === name);
}
