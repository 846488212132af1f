/** Shapes of StoreMetadata's input and output: the payloads come from the contracts package (docs/contracts.md). */
import type { StepDurations, StoreSuccessInput } from '@smart-image-pipeline/contracts';
import type { RunKind } from '@smart-image-pipeline/lambda-kit';

export type {
  AnalysisSummary,
  ImageStatus,
  StoreResult,
  StoreSuccessInput,
  StoreWrite,
  StoredResize,
} from '@smart-image-pipeline/contracts';

/** What every request names: the image, its revision, its owner and where it came from. */
export type ImageRef = Pick<StoreSuccessInput, 'imageId' | 'revision' | 'owner' | 'source' | 'receivedAt' | 'resolvedVersion'>;

export interface FailureDescription {
  name: string;
  cause: string;
}

/** RecordFailure's input, with Step Functions' error already reduced to a clean name and cause. */
export type RecordFailureInput = ImageRef & { error: FailureDescription };

/** A validated request to the function, with the durations of the steps before it (`storeMs` still null). */
export type StoreRequest =
  | { action: 'storeMetadata'; input: StoreSuccessInput; stepDurations: StepDurations; run: RunKind }
  | { action: 'recordFailure'; input: RecordFailureInput; stepDurations: StepDurations };
