import { createHash } from 'node:crypto';
import { loadConfig } from '../../../functions/resize-image/src/config';
import { resizeImage } from '../../../functions/resize-image/src/resize-image';
import { configureSharpForLambda } from '../../../functions/resize-image/src/sharp-settings';
import type { ObjectStore, OpenedObject } from '../../../functions/resize-image/src/types';
import { functionEnvironment } from '../../lib/template';
import type { Contender, ResizeJob } from '../contender';

/** An in-memory S3 stand-in, so only the image work is measured; it counts what was written. */
function memoryStore(source: Map<string, Buffer>, written: { count: number; bytes: number }): ObjectStore {
  return {
    async getObject({ key }): Promise<OpenedObject> {
      const body = source.get(key);
      if (!body) throw new Error(`bench store has no ${key}`);
      return {
        contentLength: body.length,
        metadata: {},
        readHead: async (bytes) => body.subarray(0, bytes),
        readBody: async () => body,
        discard: () => undefined,
      };
    },
    async putObject({ body }): Promise<void> {
      written.count += 1;
      written.bytes += body.length;
    },
  };
}

/** ResizeImageFunction's core with the Lambda's sharp settings and its environment from template.yaml. */
export function oursContender(): Contender {
  configureSharpForLambda();
  const settings = loadConfig(functionEnvironment('ResizeImageFunction'));
  let runs = 0;
  return {
    name: 'ours',
    async run(job: ResizeJob) {
      const key = `uploads/${job.name}.jpg`;
      const written = { count: 0, bytes: 0 };
      const store = memoryStore(new Map([[key, job.bytes]]), written);
      runs += 1;
      const imageId = createHash('sha256').update(`bench-uploads/${key}`).digest('hex').slice(0, 32);
      const revision = runs.toString(16).padStart(16, '0');
      const output = await resizeImage(
        {
          imageId,
          revision,
          source: { bucket: 'bench-uploads', key, versionId: null, sourceOrder: runs.toString(16).toUpperCase().padStart(32, '0') },
        },
        { store, settings },
      );
      const analysisWritten = output.analysisImage.bucket === settings.processedBucketName ? 1 : 0;
      return { outputs: output.variants.length + analysisWritten, outputBytes: written.bytes };
    },
  };
}
