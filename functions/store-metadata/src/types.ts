/** Shapes of StoreMetadata's input and output; they mirror docs/contracts.md. */

/** The uploaded object a run is about (the state's `source`). */
export interface SourceRef {
  bucket: string;
  key: string;
  versionId: string | null;
  /** Upper-case, 32 hex digits; orders revisions of one key. */
  sourceOrder: string;
}

/** What every request names: the image, its revision and where it came from. */
export interface ImageRef {
  imageId: string;
  revision: string;
  source: SourceRef;
  receivedAt: string;
}

export interface VariantRef {
  key: string;
  format: string;
  width: number;
  height: number;
  bytes: number;
}

/** The ResizeImage result (`$.resize`); parts that are only stored stay loosely typed. */
export interface ResizeResult {
  analysable: boolean;
  image: Record<string, unknown>;
  exif: Record<string, unknown> | null;
  placeholder: Record<string, unknown> | null;
  perceptualHash: string | null;
  variants: VariantRef[];
  analysisImage: Record<string, unknown> | null;
}

export interface LabelResult {
  name: string;
  confidence: number;
  parents: string[];
  instances: number;
  boxes: Record<string, unknown>[];
}

export interface TextResult {
  text: string;
  confidence: number;
}

/** The AnalyseImage summary (`$.analysis`). */
export interface AnalysisResult {
  labels: LabelResult[];
  moderation: Record<string, unknown>[];
  faces: Record<string, unknown>[];
  text: TextResult[];
  imageProperties: Record<string, unknown> | null;
}

/** StoreMetadata's default action: the whole state after a successful run. */
export interface StoreSuccessInput extends ImageRef {
  resize: ResizeResult;
  analysis: AnalysisResult | null;
}

/** RecordFailure's input, with Step Functions' error already reduced to a clean name and cause. */
export interface RecordFailureInput extends ImageRef {
  error: FailureDescription;
}

export interface FailureDescription {
  name: string;
  cause: string;
}

/** A validated request to the function. */
export type StoreRequest = { action: 'storeMetadata'; input: StoreSuccessInput } | { action: 'recordFailure'; input: RecordFailureInput };

export type ImageStatus = 'SUCCEEDED' | 'FAILED';

/** The function's output (docs/contracts.md "StoreMetadata"). */
export interface StoreResult {
  imageId: string;
  status: ImageStatus;
  written: boolean;
}
