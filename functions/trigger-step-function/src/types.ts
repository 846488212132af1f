/** One usable ObjectCreated record, with its key still URL-encoded as S3 sent it. */
export interface ObjectCreatedRecord {
  readonly eventName: string;
  readonly eventTime: string;
  readonly bucket: string;
  readonly encodedKey: string;
  readonly size: number;
  readonly eTag: string | null;
  readonly versionId: string | null;
  readonly sequencer: string;
}

/** The source object as the state machine receives it (docs/contracts.md "State machine input"). */
export interface ExecutionSource {
  readonly bucket: string;
  readonly key: string;
  readonly versionId: string | null;
  readonly size: number;
  readonly eTag: string | null;
  readonly sequencer: string;
  readonly sourceOrder: string;
}

/** The state machine input that StartExecution sends. */
export interface ExecutionInput {
  readonly imageId: string;
  readonly revision: string;
  readonly source: ExecutionSource;
  readonly receivedAt: string;
}

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
