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

/**
 * Sends one conditional write (every write here is one: the revision or a first write decides who may change an
 * item). False when its condition refused it; any other error is thrown.
 */
async function writeIf(write: PutCommand | UpdateCommand, deps: ReviewDeps): Promise<boolean> {
  try {
    // The client's overloads take one command type at a time.
    await (write instanceof PutCommand ? deps.db.send(write) : deps.db.send(write));
    return true;
  } catch (error) {
    if (error instanceof Error && error.name === 'ConditionalCheckFailedException') return false;
    throw error;
  }
}

/**
 * Stores the task token on the image's review item and puts it in the admins' queue (GSI1 REVIEW#PENDING). A retry
 * of AwaitReview gets a fresh token and replaces the item; a review item of a newer upload revision is never taken over.
 * @throws ReviewSupersededError when a newer revision holds the review item.
 */
export async function requestReview(input: RequestReviewInput, deps: ReviewDeps): Promise<{ imageId: string; status: 'PENDING' }> {
  const requestedAt = deps.now().toISOString();
  const stored = await writeIf(
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
    deps,
  );
  if (!stored)
    throw new ReviewSupersededError(
      `A newer revision of image ${input.imageId} holds its review; revision ${input.revision} is not reviewed.`,
    );
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
  return writeIf(
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
    deps,
  );
}

/** Writes the decision's AUDIT item once (a retried invocation finds it and leaves it). */
async function writeAudit(
  input: ApplyDecisionInput,
  decidedAt: string,
  result: DecisionResult,
  before: string,
  deps: ReviewDeps,
): Promise<void> {
  await writeIf(
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
    deps,
  );
}

/** What one update of a revision's review item sets, and how the item may be found. */
interface ReviewUpdate {
  readonly imageId: string;
  readonly revision: string;
  /** Attributes to set (the task token is always removed: a settled review has none to use). */
  readonly set: Record<string, unknown>;
  /** Attributes to remove besides the token (the queue keys when the review leaves the queue). */
  readonly remove?: readonly string[];
  /** In the admins' queue with this sort key, unless it is there already (its first place is kept). */
  readonly queueSk?: string;
  /** Create the item when there is none (a wait that failed before storing one). */
  readonly create?: boolean;
}

/**
 * Settles this revision's review item (decided or failed) in one conditional update; a newer revision's review item
 * is left alone. False when the condition refused it.
 */
function updateReview(update: ReviewUpdate, deps: ReviewDeps): Promise<boolean> {
  const fields = Object.entries({ ...update.set, revision: update.revision });
  const names = Object.fromEntries(fields.map(([name], i) => [`#f${i}`, name]));
  const values = Object.fromEntries(fields.map(([, value], i) => [`:f${i}`, value]));
  const assignments = fields.map((_field, i) => `#f${i} = :f${i}`);
  if (update.queueSk !== undefined) {
    assignments.push('GSI1PK = :queue', 'GSI1SK = if_not_exists(GSI1SK, :queueSk)');
    Object.assign(values, { ':queue': REVIEW_QUEUE_PK, ':queueSk': update.queueSk });
  }
  const revisionIndex = fields.length - 1;
  return writeIf(
    new UpdateCommand({
      TableName: deps.tableName,
      Key: { PK: imagePk(update.imageId), SK: REVIEW_SK },
      UpdateExpression: `SET ${assignments.join(', ')} REMOVE ${['taskToken', ...(update.remove ?? [])].join(', ')}`,
      ConditionExpression: `${update.create ? 'attribute_not_exists(PK) OR ' : ''}#f${revisionIndex} = :f${revisionIndex}`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    }),
    deps,
  );
}

/** Takes this revision's review item out of the queue and drops its (used) task token; a newer revision's is not this run's. */
async function closeReview(input: ApplyDecisionInput, decidedAt: string, deps: ReviewDeps): Promise<void> {
  const { decision, reason, decidedBy } = input.review;
  await updateReview(
    {
      imageId: input.imageId,
      revision: input.revision,
      set: { status: 'DECIDED', decision, reason, decidedBy, decidedAt },
      remove: ['GSI1PK', 'GSI1SK'],
    },
    deps,
  );
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
  const failed = await updateReview(
    {
      imageId: input.imageId,
      revision: input.revision,
      set: {
        type: 'REVIEW',
        imageId: input.imageId,
        owner: input.owner,
        status: 'FAILED',
        failedAt,
        error: {
          name: (input.error.Error || 'States.TaskFailed').slice(0, MAX_ERROR_NAME),
          cause: (input.error.Cause ?? '').slice(0, MAX_ERROR_CAUSE),
        },
        executionName: input.executionName,
        attempted: input.review,
      },
      queueSk: statusIndexSk(failedAt, input.imageId),
      create: true,
    },
    deps,
  );
  if (!failed) return { imageId: input.imageId, status: 'SUPERSEDED' };
  deps.logger.info('Review failed', { revision: input.revision, error: input.error.Error });
  return { imageId: input.imageId, status: 'FAILED' };
}
