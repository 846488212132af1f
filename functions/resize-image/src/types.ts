/** Shapes of the ResizeImage step; they mirror docs/contracts.md ("ResizeImage"). */

export interface SourcePointer {
  bucket: string;
  key: string;
  versionId: string | null;
  size?: number;
  eTag?: string;
  sequencer?: string;
  sourceOrder?: string;
}

/** The state machine input (TriggerStepFunctionFunction -> StartExecution). */
export interface ResizeInput {
  imageId: string;
  revision: string;
  source: SourcePointer;
  receivedAt?: string;
}

export type ImageFormat = 'jpeg' | 'png' | 'webp' | 'gif' | 'tiff' | 'heif' | 'svg';

export interface ImageFacts {
  format: ImageFormat;
  width: number;
  height: number;
  bytes: number;
  pages: number;
  animated: boolean;
  hasAlpha: boolean;
  space: string;
  bitsPerSample: number;
}

export interface ExifSummary {
  make: string | null;
  model: string | null;
  takenAt: string | null;
  hasGps: boolean;
  orientation: number | null;
}

export interface Variant {
  key: string;
  format: 'webp' | 'jpeg';
  width: number;
  height: number;
  bytes: number;
}

export interface AnalysisImage {
  bucket: string;
  key: string;
  versionId: string | null;
  width: number;
  height: number;
  bytes: number;
}

export interface ResizeOutput {
  analysable: boolean;
  image: ImageFacts;
  exif: ExifSummary;
  placeholder: { kind: 'thumbhash'; value: string };
  perceptualHash: string;
  variants: Variant[];
  analysisImage: AnalysisImage;
  recipient: string | null;
}

/** Settings the core needs; built by config.ts from the environment. */
export interface ResizeSettings {
  processedBucketName: string;
  maxInputBytes: number;
  maxInputPixels: number;
  variantWidths: number[];
  keepGps: boolean;
  allowSvg: boolean;
  defaultRecipient: string | null;
  /** Lower-case domains a notify-email may use (subdomains included); empty or absent = any domain. */
  allowedRecipientDomains?: readonly string[];
}

/** An object opened for reading: its size and metadata are known before the body is read. */
export interface OpenedObject {
  contentLength: number | undefined;
  /** User metadata (x-amz-meta-*), keys in lower case without the prefix. */
  metadata: Record<string, string>;
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
