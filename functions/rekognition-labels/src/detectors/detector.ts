import type { Image, Label } from '@aws-sdk/client-rekognition';
import type { AnalysisConfig, AnalysisSection, DetectSwitch } from '@smart-image-pipeline/contracts';

/** Whether an optional call runs, and the trigger or the reason it doesn't. */
export type CallDecision = { run: true; because: string } | { run: false; reason: string };

/** The analysis-config keys that hold an `"auto" | "always" | "never"` switch. */
export type SwitchKey = { [K in keyof AnalysisConfig]: AnalysisConfig[K] extends DetectSwitch ? K : never }[keyof AnalysisConfig];

/**
 * When a detector runs: on every image (started together, first), or after DetectLabels, decided from its labels
 * and the detector's config switch (an `"auto" | "always" | "never"` key of the analysis config).
 */
export type RunsWhen =
  | { readonly kind: 'always' }
  | {
      readonly kind: 'afterLabels';
      readonly configSwitch: SwitchKey;
      decide(labels: readonly Label[], config: AnalysisConfig): CallDecision;
    };

/** The SDK command object a detector sends; RekognitionClient.send takes any of its commands. */
export interface RekognitionCommand {
  readonly input: object;
}

/**
 * One Rekognition call of the analysis step: everything the function, its IAM policy (a template test compares
 * `iamAction` with template.yaml) and the summary need to know about it. Adding a detector is adding one of these
 * to `DETECTORS`; the state machine, StoreMetadata and the console take its sections as they come.
 */
export interface Detector<Request extends object = object, Response extends object = object> {
  /** The Rekognition API name; also the key in the summary's `calls`, `skipped` and `rawKeys`. */
  readonly name: string;
  /** The IAM action the function's role needs for it. */
  readonly iamAction: `rekognition:${string}`;
  /** File name of its raw response under images/<imageId>/<revision>/rekognition/. */
  readonly rawFile: string;
  readonly runs: RunsWhen;
  /** The request for one image (Rekognition reads the image from S3 itself). */
  request(image: Image, config: AnalysisConfig): Request;
  /** The SDK command for a request. */
  command(request: Request): RekognitionCommand;
  /** The summary sections of a response, keyed by section id; each keeps the state far under 256 KB. */
  summarise(response: Response, config: AnalysisConfig): Record<string, AnalysisSection>;
}

/** Erases a detector's request and response types, so detectors of different calls share one list. */
export type AnyDetector = Detector<any, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
