export { StepFunctionsService, type StepFunctionsOptions } from './step-functions';
export { stepFunctionsEdgeService } from './edge-service';
export { sfnApiError, TaskFailedError } from './errors';
export type { TaskInvokers, TaskAttempt } from './task-resources';
export type { ExecutionRecord, ExecutionStatus, ExecutionFinished, HistoryEvent } from './types';
