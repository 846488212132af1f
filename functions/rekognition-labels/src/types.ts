/** Where the Rekognition-ready image lives: the resize step's `analysisImage`. */
export interface AnalysisImage {
  bucket: string;
  key: string;
  versionId?: string | null;
  width?: number;
  height?: number;
  bytes?: number;
}

/** The AnalyseImage state's input (docs/contracts.md). */
export interface AnalyseImageInput {
  imageId: string;
  revision: string;
  image: AnalysisImage;
  /** Optional: when the state machine passes `$$.Execution.Id`, every log line carries it. */
  executionArn?: string;
}

export type DetectSwitch = 'auto' | 'always' | 'never';

/** Thresholds and switches from the SSM parameter, defaults filled in. */
export interface AnalysisConfig {
  minLabelConfidence: number;
  maxLabels: number;
  minModerationConfidence: number;
  detectFaces: DetectSwitch;
  detectText: DetectSwitch;
  faceTriggerLabels: readonly string[];
  textTriggerLabels: readonly string[];
  minTriggerConfidence: number;
  cacheSeconds: number;
}

export type RekognitionCall = 'DetectLabels' | 'DetectModerationLabels' | 'DetectFaces' | 'DetectText';

/** Whether an optional call runs, and the trigger or the reason it doesn't. */
export type CallDecision = { run: true; because: string } | { run: false; reason: string };

export interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

export interface LabelSummary {
  name: string;
  confidence: number;
  parents: string[];
  instances: number;
  boxes: (Box & { confidence: number })[];
}

export interface ModerationSummary {
  name: string;
  parentName: string;
  confidence: number;
}

export interface FaceSummary {
  confidence: number;
  boundingBox: Box;
  ageRange: { low: number; high: number } | null;
  gender: string | null;
  emotion: string | null;
  smile: boolean | null;
}

export interface TextSummary {
  text: string;
  confidence: number;
}

export interface ColorSummary {
  hex: string;
  cssColor: string;
  simplifiedColor: string;
  pixelPercent: number;
}

export interface ImagePropertiesSummary {
  dominantColors: ColorSummary[];
  quality: { brightness: number; sharpness: number; contrast: number } | null;
}

/** The AnalyseImage state's output: a compact summary; the raw responses are in S3. */
export interface AnalysisSummary {
  labels: LabelSummary[];
  moderation: ModerationSummary[];
  faces: FaceSummary[];
  text: TextSummary[];
  imageProperties: ImagePropertiesSummary;
  calls: RekognitionCall[];
  skipped: Partial<Record<RekognitionCall, string>>;
  rawKeys: Partial<Record<RekognitionCall, string>>;
}
