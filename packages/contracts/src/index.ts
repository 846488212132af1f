/**
 * @smart-image-pipeline/contracts: what the steps, the console and local mode share. Node entry (identity hashes
 * with node:crypto); browser code imports `@smart-image-pipeline/contracts/browser`, which never reaches Node APIs.
 */
export * from './analysis-config';
export type * from './api-views';
export * from './environment-reader';
export * from './errors';
export * from './identity';
export * from './image-properties';
export * from './ids';
export * from './is-object';
export * from './keys';
export * from './face-collection-scan';
export * from './object-key';
export * from './owner';
export * from './owner-lock';
export * from './pipeline-version';
export * from './reprocess-request';
export * from './reprocess-summary';
export * from './sections';
export * from './step-durations';
export * from './sniff';
export * from './stored-analysis';
export * from './stored-resize';
export * from './user-keys';
export * from './validation';
export * from './video';
export * from './schemas/analysis';
export * from './schemas/common';
export * from './schemas/events';
export * from './schemas/execution';
export * from './schemas/notification';
export * from './schemas/preferences';
export * from './preferences-item';
export * from './schemas/resize';
export * from './schemas/s3-event';
export * from './schemas/store';
export * from './schemas/video';
export * from './schemas/analytics';
export * from './schemas/moderation';
export * from './moderation';
export * from './analytics-queries';
