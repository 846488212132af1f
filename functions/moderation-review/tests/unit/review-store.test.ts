import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteObjectsCommand, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ERROR_NAMES } from '@smart-image-pipeline/contracts';
import { mockClient } from 'aws-sdk-client-mock';
import { parseReviewEvent } from '../../src/parse-input';
import { applyDecision, requestReview, type ReviewDeps } from '../../src/review-store';

const sample = (name: string): any => JSON.parse(readFileSync(join(__dirname, '../../../../events/moderation-review', name), 'utf8'));
const conditionFailed = () => Object.assign(new Error('The conditional request failed'), { name: 'ConditionalCheckFailedException' });

const db = mockClient(DynamoDBDocumentClient);
const s3 = mockClient(S3Client);
const deps: ReviewDeps = {
  db: DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' })),
  s3: new S3Client({ region: 'us-east-1' }),
  tableName: 'images',
  processedBucket: 'processed',
  now: () => new Date('2026-12-05T19:30:00.000Z'),
  logger: { info: () => undefined },
};

function quarantinedImage(revision: string) {
  return {
    revision,
    status: 'QUARANTINED',
    variants: [{ key: 'images/4c305750c43906432cd42f52210099f7/4ad423f178deff50/w256.webp' }, { key: 'images/x/y/w1024.jpg' }],
    analysisImage: { key: 'images/4c305750c43906432cd42f52210099f7/4ad423f178deff50/analysis.jpg' },
  };
}

beforeEach(() => {
  db.reset();
  s3.reset();
  s3.on(DeleteObjectsCommand).resolves({ Errors: [] });
});

describe('parseReviewEvent', () => {
  it('reads the sample payloads, and names every bad field of a broken one', () => {
    // Prepare
    const broken = { ...sample('apply-decision.json'), review: { decision: 'maybe', reason: ' ', decidedBy: '' } };

    // Act
    const request = parseReviewEvent(sample('request-review.json'));
    const apply = parseReviewEvent(sample('apply-decision.json'));
    const recordFailure = parseReviewEvent(sample('record-review-failure.json'));
    const failure = (() => {
      try {
        parseReviewEvent(broken);
        return undefined;
      } catch (error) {
        return error as Error;
      }
    })();

    // Assess
    expect(request).toMatchObject({ action: 'requestReview', input: { timeoutSeconds: 259200, quarantine: { threshold: 80 } } });
    expect(apply).toMatchObject({ action: 'applyDecision', input: { review: { decision: 'reject', decidedByName: 'reviewer' } } });
    expect(recordFailure).toMatchObject({
      action: 'recordReviewFailure',
      input: { error: { Error: 'Error' }, review: { decision: 'reject' } },
    });
    expect(failure?.name).toBe(ERROR_NAMES.invalidReviewInput);
    expect(failure?.message).toContain('review.decision must be "approve" or "reject"');
    expect(failure?.message).toContain('review.reason must not be empty');
    expect(failure?.message).toContain('review.decidedBy');
    expect(() => parseReviewEvent({ action: 'deleteEverything' })).toThrow(/must be requestReview, applyDecision or recordReviewFailure/);
  });
});

describe('requestReview', () => {
  it('puts the token on the review item in the admins queue, never over a newer revision', async () => {
    // Prepare
    const input = parseReviewEvent(sample('request-review.json')).input as any;
    db.on(PutCommand).resolvesOnce({}).rejectsOnce(conditionFailed());

    // Act
    const first = await requestReview(input, deps);
    const superseded = await requestReview(input, deps).catch((error: Error) => error);

    // Assess
    expect(first).toEqual({ imageId: input.imageId, status: 'PENDING' });
    const put = db.commandCalls(PutCommand)[0].args[0].input;
    expect(put.Item).toMatchObject({
      SK: 'REVIEW',
      status: 'PENDING',
      taskToken: input.taskToken,
      GSI1PK: 'REVIEW#PENDING',
      timeoutAt: '2026-12-08T19:30:00.000Z',
    });
    expect(put.ConditionExpression).toBe('attribute_not_exists(PK) OR sourceOrder <= :so');
    expect((superseded as Error).name).toBe(ERROR_NAMES.reviewSuperseded);
  });
});

describe('applyDecision', () => {
  it('rejects: deletes the variants and the analysis copy, then updates the item, audits and closes the review', async () => {
    // Prepare
    const input = parseReviewEvent(sample('apply-decision.json')).input as any;
    db.on(GetCommand).resolves({ Item: quarantinedImage(input.revision) });

    // Act
    const result = await applyDecision(input, deps);

    // Assess
    expect(result).toEqual({ imageId: input.imageId, decision: 'reject', status: 'REJECTED', applied: true });
    const deleted = s3.commandCalls(DeleteObjectsCommand)[0].args[0].input.Delete!.Objects!.map((object) => object.Key);
    expect(deleted).toHaveLength(3);
    const [imageUpdate, reviewUpdate] = db.commandCalls(UpdateCommand).map((call) => call.args[0].input);
    expect(imageUpdate.UpdateExpression).toContain('REMOVE variants, thumbnailKey, placeholder, analysisImage');
    expect(imageUpdate.ConditionExpression).toBe('#rev = :rev AND #status = :quarantined');
    expect(reviewUpdate.UpdateExpression).toContain('REMOVE taskToken, GSI1PK, GSI1SK');
    const audit = db.commandCalls(PutCommand)[0].args[0].input;
    expect(audit.Item).toMatchObject({ SK: `AUDIT#2026-12-05T19:00:00.000Z#${input.revision}`, decision: 'reject', applied: true });
    expect(audit.ConditionExpression).toBe('attribute_not_exists(SK)');
  });

  it('changes nothing on an image that a newer revision holds, and says so in the audit', async () => {
    // Prepare
    const input = parseReviewEvent(sample('apply-decision.json')).input as any;
    db.on(GetCommand).resolves({ Item: { ...quarantinedImage('ffffffffffffffff') } });

    // Act
    const result = await applyDecision(input, deps);

    // Assess
    expect(result).toMatchObject({ status: 'QUARANTINED', applied: false });
    expect(s3.commandCalls(DeleteObjectsCommand)).toHaveLength(0);
    expect(db.commandCalls(UpdateCommand).map((call) => call.args[0].input.Key!.SK)).toEqual(['REVIEW']);
    expect(db.commandCalls(PutCommand)[0].args[0].input.Item).toMatchObject({ applied: false, statusBefore: 'QUARANTINED' });
  });

  it('fails (for the state machine to retry) when S3 could not delete a rejected variant, before touching the item', async () => {
    // Prepare
    const input = parseReviewEvent(sample('apply-decision.json')).input as any;
    db.on(GetCommand).resolves({ Item: quarantinedImage(input.revision) });
    s3.on(DeleteObjectsCommand).resolves({ Errors: [{ Key: 'images/x/y/w1024.jpg', Code: 'InternalError' }] });

    // Act
    const failure = await applyDecision(input, deps).catch((error: Error) => error);

    // Assess
    expect((failure as Error).message).toContain('Could not delete 1 rejected variant');
    expect(db.commandCalls(UpdateCommand)).toHaveLength(0);
    expect(db.commandCalls(PutCommand)).toHaveLength(0);
  });
});
