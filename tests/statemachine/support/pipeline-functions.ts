/** The physical names the state-machine tests give the template's resources (functionEnvironment resolves Refs to them). */
export const PHYSICAL_NAMES = {
  ProcessedBucket: 'smart-image-pipeline-processed-123456789012',
  ImagesTable: 'smart-image-pipeline-ImagesTable-1ABCDEF',
  PipelineConfigParameter: '/smart-image-pipeline/pipeline-config',
  FaceCollection: 'smart-image-pipeline-faces',
};

/**
 * The handler module of every function the image pipeline's ASL invokes (and the trigger that starts it), by logical
 * id: one list, so a state added to the ASL gets its real handler in every state-machine test.
 */
export const PIPELINE_FUNCTIONS = {
  TriggerStepFunctionFunction: 'functions/trigger-step-function/src/handler',
  ResolveVersionFunction: 'functions/resolve-version/src/handler',
  ResizeImageFunction: 'functions/resize-image/src/handler',
  RekognitionLabelsFunction: 'functions/rekognition-labels/src/handler',
  StoreMetadataFunction: 'functions/store-metadata/src/handler',
  ModerationReviewFunction: 'functions/moderation-review/src/handler',
  // The video branch's functions (issue 14): loaded so every lambda:invoke state has its real handler.
  ProbeVideoFunction: 'functions/probe-video/src/handler',
  ComposeVideoThumbnailsFunction: 'functions/compose-video-thumbnails/src/handler',
  RekognitionVideoFunction: 'functions/rekognition-video/src/handler',
} as const;
