/** Environment for handler tests; imported before the handler, whose config is read at cold start. */
process.env.PROCESSED_BUCKET_NAME = 'smart-image-pipeline-processed-123456789012';
process.env.POWERTOOLS_LOG_LEVEL = 'ERROR';
process.env.AWS_REGION = 'eu-west-1';
process.env.AWS_ACCESS_KEY_ID = 'test';
process.env.AWS_SECRET_ACCESS_KEY = 'test';
