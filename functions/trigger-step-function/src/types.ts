import type { S3EventRecord } from '@smart-image-pipeline/contracts';

export type { ExecutionInput, ExecutionSource } from '@smart-image-pipeline/contracts';

/** One usable ObjectCreated record, with its key still URL-encoded as S3 sent it. */
export type ObjectCreatedRecord = S3EventRecord;

/** Why a record did not start an execution. */
export type SkipReason = 'outside-prefix' | 'folder-marker' | 'not-object-created';

/** One record that could not be turned into an execution and will not get better on a retry. */
export interface FailedRecord {
  readonly bucket: string;
  readonly key: string;
  readonly error: string;
  readonly message: string;
}

/** One execution the invocation started or found already started. */
export interface ExecutionRef {
  readonly imageId: string;
  readonly revision: string;
  readonly executionName: string;
  readonly executionArn: string;
  readonly duplicate: boolean;
}

/** What the trigger returns for one S3 event. */
export interface TriggerSummary {
  started: number;
  duplicates: number;
  skipped: number;
  failed?: FailedRecord[];
  executions: ExecutionRef[];
}
