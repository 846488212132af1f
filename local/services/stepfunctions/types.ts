/** Execution statuses, as the Step Functions API spells them. */
export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED' | 'PENDING_REDRIVE';

/** One event of an execution's history, in the API's HistoryEvent shape (timestamps in epoch milliseconds here). */
export interface HistoryEvent {
  id: number;
  previousEventId: number;
  timestamp: number;
  type: string;
  [details: string]: unknown;
}

/** Everything kept about one execution. */
export interface ExecutionRecord {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  /** The input as the caller sent it (a JSON string). */
  input: string;
  status: ExecutionStatus;
  startDate: number;
  stopDate?: number;
  output?: string;
  error?: string;
  cause?: string;
  redriveCount: number;
  redriveDate?: number;
  history: HistoryEvent[];
}

/** The finished-execution notice the service emits, for waiters such as `npm run process`. */
export interface ExecutionFinished {
  executionArn: string;
  status: ExecutionStatus;
}
