/** Shapes of the ResizeImage step: the payloads come from the contracts package (docs/contracts.md "ResizeImage"). */

export type {
  AnalysisImage,
  ExifSummary,
  ImageFacts,
  ImageFormat,
  ResizeInput,
  ResizeOutput,
  Variant,
  VideoHandoff,
} from '@smart-image-pipeline/contracts';

/** Settings the core needs; built by config.ts from the environment. */
export interface ResizeSettings {
  processedBucketName: string;
  maxInputBytes: number;
  maxInputPixels: number;
  variantWidths: number[];
  keepGps: boolean;
  allowSvg: boolean;
}

/** An object opened for reading: its size and metadata are known before the body is read. */
export interface OpenedObject {
  contentLength: number | undefined;
  /** User metadata (x-amz-meta-*), keys in lower case without the prefix. */
  metadata: Record<string, string>;
  /** Reads the first bytes (fewer when the object is shorter); readBody still returns the whole body afterwards. */
  readHead(bytes: number): Promise<Buffer>;
  /** Reads the whole body; rejects with ImageTooLargeError once more than maxBytes arrive. */
  readBody(maxBytes: number): Promise<Buffer>;
  /** Releases the body without reading it (closes the connection). */
  discard(): void;
}

export interface PutRequest {
  bucket: string;
  key: string;
  body: Buffer;
  contentType: string;
  cacheControl?: string;
  /** User metadata (x-amz-meta-*). */
  metadata?: Record<string, string>;
}

/** The S3-like storage the core talks to; S3 in Lambda, an in-memory map in tests. */
export interface ObjectStore {
  /** Opens an object; rejects with SourceNotFoundError when it (or the version) is missing. */
  getObject(ref: { bucket: string; key: string; versionId: string | null }): Promise<OpenedObject>;
  putObject(put: PutRequest): Promise<void>;
}

/** Where the core reports things worth an operator's attention; the handler passes the Powertools logger. */
export interface WarningLog {
  warn(message: string, attributes: Record<string, unknown>): void;
}

export interface ResizeDeps {
  store: ObjectStore;
  settings: ResizeSettings;
  log?: WarningLog;
}
