import { DeleteObjectsCommand, type S3Client } from '@aws-sdk/client-s3';
import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  AUDIT_LOG_PK,
  auditSk,
  IMAGE_SK,
  imagePk,
  ownerStatusIndexPk,
  REVIEW_QUEUE_PK,
  REVIEW_SK,
  REVIEW_TIMEOUT_DECIDER,
  statusIndexPk,
  statusIndexSk,
} from '@smart-image-pipeline/contracts';
import { ReviewSupersededError } from './errors';
import type { ApplyDecisionInput, RecordReviewFailureInput, RequestReviewInput } from '@smart-image-pipeline/contracts';

/** The logging calls the core needs; Powertools' Logger fits. */
export interface Log {
  info(message: string, ...extra: Record<string, unknown>[]): void;
}

/** What the core works with, passed in so tests can replace it. */
export interface ReviewDeps {
  readonly db: Pick<DynamoDBDocumentClient, 'send'>;
  readonly s3: Pick<S3Client, 'send'>;
  readonly tableName: string;
  readonly processedBucket: string;
  readonly now: () => Date;
  readonly logger: Log;
}

/** What ApplyReviewDecision reports: the image's status afterwards and whether this decision changed it. */
export interface DecisionResult {
  imageId: string;
  decision: 'approve' | 'reject';
  status: string;
  applied: boolean;
}

function isConditionFailure(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}

/**
 * Stores the task token on the image's review item and puts it in the admins' queue (GSI1 REVIEW#PENDING). A retry
 * of AwaitReview gets a fresh token and replaces the item; a review item of a newer upload revision is never taken over.
 * @throws ReviewSupersededError when a newer revision holds the review item.
 */
export async function requestReview(input: RequestReviewInput, deps: ReviewDeps): Promise<{ imageId: string; status: 'PENDING' }> {
  const requestedAt = deps.now().toISOString();
  try {
    await deps.db.send(
      new PutCommand({
        TableName: deps.tableName,
        Item: {
          PK: imagePk(input.imageId),
          SK: REVIEW_SK,
          type: 'REVIEW',
          imageId: input.imageId,
          owner: input.owner,
          revision: input.revision,
          sourceOrder: input.sourceOrder,
          status: 'PENDING',
          taskToken: input.taskToken,
          quarantine: input.quarantine,
          requestedAt,
          timeoutAt: new Date(Date.parse(requestedAt) + input.timeoutSeconds * 1000).toISOString(),
          GSI1PK: REVIEW_QUEUE_PK,
          GSI1SK: statusIndexSk(requestedAt, input.imageId),
        },
        ConditionExpression: 'attribute_not_exists(PK) OR sourceOrder <= :so',
        ExpressionAttributeValues: { ':so': input.sourceOrder },
      }),
    );
  } catch (error) {
    if (isConditionFailure(error))
      throw new ReviewSupersededError(
        `A newer revision of image ${input.imageId} holds its review; revision ${input.revision} is not reviewed.`,
      );
    throw error;
  }
  deps.logger.info('Review requested', { revision: input.revision, labels: input.quarantine.labels.length });
  return { imageId: input.imageId, status: 'PENDING' };
}

/** The image item fields the decision reads. */
interface StoredImage {
  revision?: string;
  owner?: string;
  status?: string;
  updatedAt?: string;
  variants?: Array<{ key?: unknown }>;
  analysisImage?: { key?: unknown } | null;
}

async function readImage(imageId: string, deps: ReviewDeps): Promise<StoredImage | undefined> {
  const { Item } = await deps.db.send(
    new GetCommand({ TableName: deps.tableName, Key: { PK: imagePk(imageId), SK: IMAGE_SK }, ConsistentRead: true }),
  );
  return Item as StoredImage | undefined;
}

/** Every object of the image that shows its content: the variants and the Rekognition copy. */
function servedKeys(image: StoredImage): string[] {
  const keys = [...(image.variants ?? []).map((variant) => variant.key), image.analysisImage?.key];
  return keys.filter((key): key is string => typeof key === 'string' && key.startsWith('images/'));
}

async function deleteObjects(keys: string[], deps: ReviewDeps): Promise<void> {
  if (keys.length === 0) return;
  const { Errors } = await deps.s3.send(
    new DeleteObjectsCommand({ Bucket: deps.processedBucket, Delete: { Objects: keys.map((Key) => ({ Key })), Quiet: true } }),
  );
  // A key that could not be deleted must not leave the image looking clean: fail, and the state machine retries.
  if (Errors && Errors.length > 0)
    throw new Error(`Could not delete ${Errors.length} rejected variant(s): ${Errors[0].Code} ${Errors[0].Key}`);
}

/**
 * Moves the QUARANTINED image item of this revision to its decided status, in one conditional update: approve ->
 * SUCCEEDED (the API serves its variants again); reject -> REJECTED, without the variant, thumbnail, placeholder and
 * analysis-image fields (their objects are deleted first). False when the item is not this revision's quarantine.
 */
async function decideImage(
  input: ApplyDecisionInput,
  status: 'SUCCEEDED' | 'REJECTED',
  updatedAt: string,
  deps: ReviewDeps,
): Promise<boolean> {
  const removed = status === 'REJECTED' ? ' REMOVE variants, thumbnailKey, placeholder, analysisImage' : '';
  try {
    await deps.db.send(
      new UpdateCommand({
        TableName: deps.tableName,
        Key: { PK: imagePk(input.imageId), SK: IMAGE_SK },
        UpdateExpression: `SET #status = :status, GSI1PK = :gsi1, GSI2PK = :gsi2, GSI1SK = :gsi1sk, updatedAt = :at, review = :review${removed}`,
        ConditionExpression: '#rev = :rev AND #status = :quarantined',
        ExpressionAttributeNames: { '#status': 'status', '#rev': 'revision' },
        ExpressionAttributeValues: {
          ':status': status,
          ':gsi1': statusIndexPk(status),
          ':gsi2': ownerStatusIndexPk(input.owner, status),
          ':gsi1sk': statusIndexSk(updatedAt, input.imageId),
          ':at': updatedAt,
          ':review': { ...input.review, decidedAt: input.review.decidedAt ?? updatedAt },
          ':rev': input.revision,
          ':quarantined': 'QUARANTINED',
        },
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

/** Writes the decision's AUDIT item once (a retried invocation finds it and leaves it). */
async function writeAudit(
  input: ApplyDecisionInput,
  decidedAt: string,
  result: DecisionResult,
  before: string,
  deps: ReviewDeps,
): Promise<void> {
  try {
    await deps.db.send(
      new PutCommand({
        TableName: deps.tableName,
        Item: {
          PK: imagePk(input.imageId),
          SK: auditSk(decidedAt, input.revision),
          type: 'AUDIT',
          imageId: input.imageId,
          owner: input.owner,
          revision: input.revision,
          decision: input.review.decision,
          reason: input.review.reason,
          decidedBy: input.review.decidedBy,
          decidedByName: input.review.decidedByName,
          decidedAt,
          timedOut: input.review.decidedBy === REVIEW_TIMEOUT_DECIDER,
          labels: input.quarantine.labels,
          threshold: input.quarantine.threshold,
          statusBefore: before,
          statusAfter: result.status,
          applied: result.applied,
          GSI1PK: AUDIT_LOG_PK,
          GSI1SK: statusIndexSk(decidedAt, input.imageId),
        },
        ConditionExpression: 'attribute_not_exists(SK)',
      }),
    );
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
  }
}

/** Takes this revision's review item out of the queue and drops its (used) task token. */
async function closeReview(input: ApplyDecisionInput, decidedAt: string, deps: ReviewDeps): Promise<void> {
  try {
    await deps.db.send(
      new UpdateCommand({
        TableName: deps.tableName,
        Key: { PK: imagePk(input.imageId), SK: REVIEW_SK },
        UpdateExpression:
          'SET #status = :decided, decision = :decision, reason = :reason, decidedBy = :by, decidedAt = :at REMOVE taskToken, GSI1PK, GSI1SK',
        ConditionExpression: '#rev = :rev',
        ExpressionAttributeNames: { '#status': 'status', '#rev': 'revision' },
        ExpressionAttributeValues: {
          ':decided': 'DECIDED',
          ':decision': input.review.decision,
          ':reason': input.review.reason,
          ':by': input.review.decidedBy,
          ':at': decidedAt,
          ':rev': input.revision,
        },
      }),
    );
  } catch (error) {
    // A newer revision's review holds the item: it is not this run's to close.
    if (!isConditionFailure(error)) throw error;
  }
}

/**
 * Carries out a review decision (a reviewer's, or the timeout default's) and audits it. Only the QUARANTINED item of
 * this revision changes; a newer upload, a deleted image or an already decided one is left alone and the audit item
 * says `applied: false`. Safe to retry: a repeat finds the decided status, rewrites nothing and reports it applied.
 */
export async function applyDecision(input: ApplyDecisionInput, deps: ReviewDeps): Promise<DecisionResult> {
  const now = deps.now().toISOString();
  const decidedAt = input.review.decidedAt ?? now;
  const target = input.review.decision === 'approve' ? 'SUCCEEDED' : 'REJECTED';
  const image = await readImage(input.imageId, deps);
  const before = image?.status ?? 'MISSING';
  let result: DecisionResult;
  if (image?.revision === input.revision && image.status === 'QUARANTINED') {
    if (target === 'REJECTED') await deleteObjects(servedKeys(image), deps);
    const applied = await decideImage(input, target, now, deps);
    result = {
      imageId: input.imageId,
      decision: input.review.decision,
      status: applied ? target : ((await readImage(input.imageId, deps))?.status ?? 'MISSING'),
      applied,
    };
  } else {
    // A retry after a completed update finds the target status of this revision: that is this decision, applied.
    const alreadyApplied = image?.revision === input.revision && image.status === target;
    result = { imageId: input.imageId, decision: input.review.decision, status: before, applied: alreadyApplied };
  }
  await writeAudit(input, decidedAt, result, before, deps);
  await closeReview(input, decidedAt, deps);
  deps.logger.info('Review decision', {
    revision: input.revision,
    decidedBy: input.review.decidedBy,
    ...result,
  });
  return result;
}

/** Longest error name and cause kept on a failed review (Step Functions allows 256 and 32,768; the queue shows them). */
const MAX_ERROR_NAME = 256;
const MAX_ERROR_CAUSE = 2000;

/**
 * Marks this revision's review FAILED after AwaitReview or ApplyReviewDecision failed for good: the item stays in the
 * admins' queue (GSI1 REVIEW#PENDING) without a token, with the error, the decision that was being applied and the
 * run to re-run. The image item is not touched (it stays QUARANTINED, so nothing is served). Creates the item when the
 * wait failed before storing one; leaves a newer revision's review alone.
 */
export async function recordReviewFailure(
  input: RecordReviewFailureInput,
  deps: ReviewDeps,
): Promise<{ imageId: string; status: 'FAILED' | 'SUPERSEDED' }> {
  const failedAt = deps.now().toISOString();
  try {
    await deps.db.send(
      new UpdateCommand({
        TableName: deps.tableName,
        Key: { PK: imagePk(input.imageId), SK: REVIEW_SK },
        UpdateExpression:
          'SET #type = :type, imageId = :id, #owner = :owner, #rev = :rev, #status = :failed, failedAt = :at, #error = :error, ' +
          'executionName = :execution, attempted = :attempted, GSI1PK = :queue, GSI1SK = if_not_exists(GSI1SK, :sk) REMOVE taskToken',
        ConditionExpression: 'attribute_not_exists(PK) OR #rev = :rev',
        ExpressionAttributeNames: { '#type': 'type', '#owner': 'owner', '#rev': 'revision', '#status': 'status', '#error': 'error' },
        ExpressionAttributeValues: {
          ':type': 'REVIEW',
          ':id': input.imageId,
          ':owner': input.owner,
          ':rev': input.revision,
          ':failed': 'FAILED',
          ':at': failedAt,
          ':error': {
            name: (input.error.Error || 'States.TaskFailed').slice(0, MAX_ERROR_NAME),
            cause: (input.error.Cause ?? '').slice(0, MAX_ERROR_CAUSE),
          },
          ':execution': input.executionName,
          ':attempted': input.review,
          ':queue': REVIEW_QUEUE_PK,
          ':sk': statusIndexSk(failedAt, input.imageId),
        },
      }),
    );
  } catch (error) {
    if (isConditionFailure(error)) return { imageId: input.imageId, status: 'SUPERSEDED' };
    throw error;
  }
  deps.logger.info('Review failed', { revision: input.revision, error: input.error.Error });
  return { imageId: input.imageId, status: 'FAILED' };
}
