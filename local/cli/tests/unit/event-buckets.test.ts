import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { bucketsNamedIn, missingBucketsNote } from '../../event-buckets';

const EVENTS = join(__dirname, '..', '..', '..', '..', 'events');
const readEvent = (folder: string, file: string) => JSON.parse(readFileSync(join(EVENTS, folder, file), 'utf8')) as unknown;

describe('bucketsNamedIn', () => {
  it('finds the bucket of S3 notification records and of the pipeline payloads', () => {
    // Act
    const fromRecords = bucketsNamedIn(readEvent('trigger-step-function', 's3-put.json'));
    const fromPayload = bucketsNamedIn(readEvent('store-metadata', 'success.json'));

    // Assess
    expect(fromRecords).toEqual(['smart-image-pipeline-uploads-123456789012']);
    expect(fromPayload.sort()).toEqual(['smart-image-pipeline-processed-123456789012', 'smart-image-pipeline-uploads-123456789012']);
  });

  it('names at least one bucket in every sample event that is an S3 notification or a pipeline payload', () => {
    // Prepare: EventBridge events (detail-type), and SQS batches (the notifier's) whose bodies are such events or
    // digests, name images by id, not buckets; API Gateway requests (routeKey) and CloudFormation custom-resource
    // requests (RequestType) are not pipeline payloads.
    const samples = readdirSync(EVENTS).flatMap((folder) =>
      readdirSync(join(EVENTS, folder)).map((file) => readEvent(folder, file) as Record<string, unknown>),
    );
    const isSqsBatch = (event: Record<string, unknown>) =>
      Array.isArray(event.Records) && event.Records.every((record: { eventSource?: unknown }) => record.eventSource === 'aws:sqs');

    // Act
    // The video analysis polling step (action "collect") names only Rekognition job ids; the reprocess steps (actions
    // "select" and "prepare") name a selection or an image id, and the function finds the buckets itself; the
    // moderation review's steps (requestReview, applyDecision, recordReviewFailure) name the image by id and read its
    // keys from the table.
    const byIdOnly = new Set(['collect', 'select', 'prepare', 'requestReview', 'applyDecision', 'recordReviewFailure']);
    const counts = samples
      .filter(
        (event) =>
          !['detail-type', 'routeKey', 'RequestType'].some((field) => field in event) &&
          !isSqsBatch(event) &&
          !byIdOnly.has(String(event.action)),
      )
      .map((event) => bucketsNamedIn(event).length);

    // Assess
    expect(counts.length).toBeGreaterThan(10);
    expect(counts.every((count) => count > 0)).toBe(true);
  });
});

describe('missingBucketsNote', () => {
  it('names the missing buckets, the local ones and an upload command for the edge', () => {
    // Act
    const note = missingBucketsNote(['deployed-uploads', 'local-out'], ['local-out', 'local-in'], {
      edgeUrl: 'http://127.0.0.1:4566',
      uploadsBucket: 'local-in',
    });

    // Assess
    const firstLine = note?.split('\n')[0];
    expect(firstLine).toContain('bucket deployed-uploads,');
    expect(firstLine).not.toContain('local-out');
    expect(note).toContain('Local buckets: local-out, local-in.');
    expect(note).toContain('aws --endpoint-url http://127.0.0.1:4566 s3api put-object --bucket local-in');
  });

  it('says nothing when every bucket exists locally', () => {
    expect(missingBucketsNote(['a'], ['a', 'b'], { edgeUrl: 'http://127.0.0.1:4566' })).toBeUndefined();
  });
});
