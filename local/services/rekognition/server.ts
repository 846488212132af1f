import { startEdgeServer } from '../../edge/server';
import type { EdgeService } from '../../edge/types';
import { LocalRekognitionService, REKOGNITION_JSON, rekognitionEdgeService, type RekognitionServiceOptions } from './rekognition-service';

// Base64 of a 15 MB image plus JSON framing; anything larger cannot be a valid request.
const MAX_BODY_BYTES = 24 * 1024 * 1024;

/**
 * Serves the local Rekognition on its own edge endpoint (POST with X-Amz-Target; GET /health) and resolves once the
 * models are loaded, so the AWS SDK or CLI can point at `url`. The local mode mounts it on the stack's edge instead.
 * @throws Error when the port cannot be bound or the models cannot load
 */
export async function startRekognitionServer(
  opts: RekognitionServiceOptions & { port?: number; host?: string },
): Promise<{ url: string; close(): Promise<void>; service: LocalRekognitionService }> {
  const service = new LocalRekognitionService(opts);
  const health: EdgeService = {
    name: 'health',
    protocol: REKOGNITION_JSON,
    matches: (req) => req.method === 'GET' && req.url.pathname === '/health',
    handle: async () => {
      const state = service.health();
      return { status: state.ready ? 200 : 503, headers: { 'content-type': 'application/json' }, body: JSON.stringify(state) };
    },
  };
  const edge = await startEdgeServer({
    host: opts.host,
    port: opts.port ?? 0,
    services: [rekognitionEdgeService(service), health],
    maxBodyBytes: MAX_BODY_BYTES,
    faults: {},
  }).catch(async (error: unknown) => {
    await service.close();
    throw error;
  });
  const close = async () => {
    await edge.close();
    await service.close();
  };
  try {
    await service.ready();
  } catch (error) {
    await close();
    throw error;
  }
  return { url: edge.url, close, service };
}
