import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SFNClient } from '@aws-sdk/client-sfn';
import type { FactsEngine } from '@smart-image-pipeline/contracts';
import type { TokenVerifier } from './auth/token-verifier';
import type { DynamoImageIndex } from './images/dynamo-image-index';
import type { ImageIndex } from './images/list-images';

/** The names of the stack's resources the API reads and writes. */
export interface ApiResources {
  uploadsBucket: string;
  processedBucket: string;
  tableName: string;
  stateMachineArn: string;
}

/** Upload limits the API enforces (the presigned POST's conditions) and the upload page checks before uploading. */
export interface UploadLimits {
  maxBytes: number;
  contentTypes: readonly string[];
}

/** The logging calls the API needs; Powertools' Logger fits. */
export interface Log {
  info(message: string, ...extra: Record<string, unknown>[]): void;
  warn(message: string, ...extra: Record<string, unknown>[]): void;
  error(message: string, ...extra: Record<string, unknown>[]): void;
}

/** The table reads of the routes: listings, plus one image's items and near-duplicate candidates. */
export type ImageReads = ImageIndex & Pick<DynamoImageIndex, 'getImageFamily' | 'imagesInHashBand'>;

/** Everything the routes need, created once per cold start and passed in, so tests can replace any of it. */
export interface ApiDeps {
  s3: Pick<S3Client, 'send' | 'config'>;
  documents: Pick<DynamoDBDocumentClient, 'send'>;
  sfn: Pick<SFNClient, 'send'>;
  index: ImageReads;
  /** Runs the analytics queries over the facts (Athena in the cloud; locally the local Athena on DuckDB). */
  analytics: FactsEngine;
  verifier: TokenVerifier;
  resources: ApiResources;
  limits: UploadLimits;
  logger: Log;
  now: () => Date;
  /** A fresh random UUID (node:crypto's randomUUID in production). */
  uuid: () => string;
}

/** The image types ResizeImage accepts by default; the web app uploads raster images only, so never SVG. */
export const UPLOAD_CONTENT_TYPES: readonly string[] = Object.freeze([
  'image/jpeg',
  'image/png',
  'image/webp',
  'image/gif',
  'image/avif',
  'image/tiff',
  'image/heic',
  'image/heif',
]);
