import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { errorResponse } from './json-protocol';
import { RekognitionError } from '../../vision/errors';
import { LocalVisionService, type VisionService, type VisionServiceOptions } from '../../vision/service';

// Base64 of a 15 MB image plus JSON framing; anything larger cannot be a valid request.
const MAX_BODY_BYTES = 24 * 1024 * 1024;

/**
 * Serves the vision service over HTTP (any path, POST with X-Amz-Target; GET /health) and resolves once the
 * models are loaded, so the AWS SDK or CLI can point at `url`.
 * @throws Error when the port cannot be bound or the models cannot load
 */
export async function startVisionServer(
  opts: VisionServiceOptions & { port?: number; host?: string },
): Promise<{ url: string; close(): Promise<void>; service: VisionService }> {
  const service = new LocalVisionService(opts);
  const server = createServer((request, response) => {
    void serve(service, request, response);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const close = async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await service.close();
  };
  try {
    await service.ready();
  } catch (error) {
    await close();
    throw error;
  }
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  return { url: `http://${host}:${port}`, close, service };
}

async function serve(service: VisionService, request: IncomingMessage, response: ServerResponse): Promise<void> {
  if (request.method === 'GET' && request.url === '/health') {
    const health = service.health();
    response.writeHead(health.ready ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify(health));
    return;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = false;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) tooLarge = true;
    else chunks.push(chunk as Buffer);
  }
  const answer = tooLarge
    ? errorResponse(new RekognitionError('ImageTooLargeException', 'Request body is larger than any valid Rekognition request'))
    : await service.handle(String(request.headers['x-amz-target'] ?? ''), Buffer.concat(chunks).toString('utf8'));
  response.writeHead(answer.status, { ...answer.headers, 'content-length': Buffer.byteLength(answer.body) }).end(answer.body);
}
