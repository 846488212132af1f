import type { EdgeService } from '../../edge/types';
import { REKOGNITION_JSON } from './json-protocol';
import type { LocalS3Service } from '../s3/s3-service';
import { createVisionService, type VisionService } from '../../vision';

/** The vision service and its edge mount. */
export interface VisionHandle {
  service: VisionService;
  edgeService: EdgeService;
  close(): Promise<void>;
}

/**
 * Starts the local vision service (models load in its workers in the background) and mounts it as Rekognition
 * (`X-Amz-Target: RekognitionService.*`), reading S3Object images straight from the local S3 store.
 */
export async function startVision(options: { dataDir: string; s3: LocalS3Service }): Promise<VisionHandle> {
  const service = createVisionService({
    dataDir: options.dataDir,
    readS3Object: (bucket, key, versionId) => options.s3.getObjectBytes(bucket, key, versionId),
  });
  return {
    service,
    edgeService: {
      name: 'rekognition',
      protocol: REKOGNITION_JSON,
      matches: (req) => (req.target ?? '').startsWith('RekognitionService.'),
      handle: async (req) => service.handle(req.target ?? '', req.body.toString('utf8')),
    },
    close: () => service.close(),
  };
}
