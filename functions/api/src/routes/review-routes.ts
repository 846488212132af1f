import { SendTaskSuccessCommand } from '@aws-sdk/client-sfn';
import { isImageId, isObject, problemsOf, reviewRequestSchema, type ReviewDecision } from '@smart-image-pipeline/contracts';
import type { ApiDeps } from '../api-deps';
import { decodeCursor, encodeCursor } from '../http/cursor';
import { badRequest, HttpError, notFound } from '../http/http-error';
import { readJsonObject } from '../http/json-body';
import { QueryReader } from '../http/query-reader';
import { ok, type Reply } from '../http/responses';
import type { Router } from '../http/router';
import { displayName, type ImageItem, type VariantItem } from '../images/image-item';
import { presignedVariantUrls } from '../images/variant-urls';
import { auditPage, isAuditPosition, type AuditItem } from '../reviews/audit-log';
import { pendingReviews, reviewOf, type ReviewItem } from '../reviews/review-queue';

/** Step Functions' answers to a token that cannot be used (any more): unknown, malformed, used, timed out, run ended. */
const CLOSED_TOKEN_ERRORS = new Set(['TaskTimedOut', 'TaskDoesNotExist', 'InvalidToken']);

function conflict(code: string, message: string): HttpError {
  return new HttpError(409, code, message);
}

/** The queue's page position: the GSI1 key DynamoDB returned, nothing else. */
function isQueuePosition(value: unknown): value is Record<string, string> {
  return (
    isObject(value) &&
    Object.keys(value).length === 4 &&
    ['PK', 'SK', 'GSI1PK', 'GSI1SK'].every((key) => typeof value[key] === 'string') &&
    value.GSI1PK === 'REVIEW#PENDING'
  );
}

/** The variant a reviewer looks at: the largest, which shows what the labels are about. */
function reviewVariant(image: ImageItem): VariantItem | undefined {
  return [...(image.variants ?? [])]
    .filter((variant) => typeof variant?.key === 'string')
    .sort((a, b) => (b.width ?? 0) - (a.width ?? 0))[0];
}

/**
 * Admins only: the moderation review queue, the decision, and the audit log of decisions (GET /admin/audit). The queue
 * is the one place a QUARANTINED image's bytes are reachable (a presigned URL of its largest variant, valid at most 10
 * minutes); a decision hands the task token to the waiting run (SendTaskSuccess), which applies it
 * (ApplyReviewDecision) and writes the AUDIT item.
 */
export function registerReviewRoutes(router: Router, deps: ApiDeps): void {
  const urlFor = presignedVariantUrls(deps.s3, deps.resources.processedBucket, deps.now);
  const table = deps.resources.tableName;

  async function queueEntry(review: ReviewItem, image: ImageItem | undefined) {
    // Only the revision under review, still quarantined, is shown: anything else is being decided or superseded.
    const current = image?.status === 'QUARANTINED' && image.revision === review.revision ? image : undefined;
    const variant = current ? reviewVariant(current) : undefined;
    const failed = review.status === 'FAILED';
    return {
      imageId: review.imageId,
      reviewStatus: failed ? 'FAILED' : 'PENDING',
      // A failed review: what went wrong and which run to re-run (POST /admin/executions/{name}/rerun).
      failure: failed
        ? {
            error: review.error?.name ?? null,
            cause: review.error?.cause ?? null,
            failedAt: review.failedAt ?? null,
            executionName: review.executionName ?? null,
            attemptedDecision: review.attempted?.decision ?? null,
          }
        : null,
      owner: review.owner ?? null,
      revision: review.revision ?? null,
      name: current ? displayName(current) : null,
      status: image?.status ?? null,
      requestedAt: review.requestedAt ?? null,
      timeoutAt: review.timeoutAt ?? null,
      threshold: review.quarantine?.threshold ?? null,
      labels: review.quarantine?.labels ?? [],
      image: current?.image ? { format: current.image.format, width: current.image.width, height: current.image.height } : null,
      url: variant ? await urlFor(variant) : null,
    };
  }

  router.on(
    'GET',
    '/admin/reviews',
    async ({ request }): Promise<Reply> => {
      const reader = new QueryReader(request.query, ['limit', 'cursor']);
      const limit = reader.integer('limit', 1, 100, 25);
      const cursor = reader.string('cursor', 4096);
      const binding = { kind: 'reviews', scope: 'all', fingerprint: 'PENDING' };
      const start = cursor ? decodeCursor(cursor, binding, isQueuePosition) : undefined;
      const page = await pendingReviews(deps.documents, table, limit, start);
      const images = (await deps.index.getImages(page.items.map((review) => review.imageId))).items;
      return ok({
        items: await Promise.all(page.items.map((review) => queueEntry(review, images.get(review.imageId)))),
        nextCursor: page.next ? encodeCursor(binding, page.next) : null,
      });
    },
    'admin',
  );

  router.on(
    'POST',
    '/admin/reviews/{imageId}/decision',
    async ({ request, params, caller }): Promise<Reply> => {
      new QueryReader(request.query, []);
      if (!isImageId(params.imageId)) throw badRequest('The image id must be 32 lowercase hex characters.');
      const parsed = reviewRequestSchema.safeParse(readJsonObject(request, 4096));
      if (!parsed.success) throw badRequest(`Invalid decision: ${problemsOf(parsed.error, 'body').join('; ')}.`);
      const review = await reviewOf(deps.documents, table, params.imageId);
      if (!review) throw notFound(`No review for image ${params.imageId}.`);
      if (review.status === 'FAILED')
        throw conflict(
          'ReviewFailed',
          `The review of image ${params.imageId} failed (${review.error?.name ?? 'unknown error'}); re-run the image ` +
            `(POST /admin/executions/${review.executionName ?? '{name}'}/rerun) to review it again; nothing changed.`,
        );
      if (review.status !== 'PENDING' || typeof review.taskToken !== 'string')
        throw conflict(
          'AlreadyDecided',
          `Image ${params.imageId} was already decided (${review.decision ?? 'unknown'} by ${review.decidedBy ?? 'unknown'}); nothing changed.`,
        );
      const image = (await deps.index.getImages([params.imageId])).items.get(params.imageId);
      if (image?.status !== 'QUARANTINED' || image.revision !== review.revision)
        throw conflict(
          'NotQuarantined',
          `Image ${params.imageId} is not waiting for this review (status ${image?.status ?? 'none'}); nothing changed.`,
        );
      const decision: ReviewDecision & { decidedByName: string } = {
        ...parsed.data,
        decidedBy: caller.sub,
        decidedByName: caller.username,
        decidedAt: deps.now().toISOString(),
      };
      try {
        await deps.sfn.send(new SendTaskSuccessCommand({ taskToken: review.taskToken, output: JSON.stringify(decision) }));
      } catch (error) {
        const name = (error as { name?: string }).name ?? '';
        if (CLOSED_TOKEN_ERRORS.has(name))
          throw conflict(
            'ReviewClosed',
            `The review of image ${params.imageId} is closed (${name}: already decided or timed out); nothing changed.`,
          );
        throw error;
      }
      deps.logger.info('Review decided', { imageId: params.imageId, decision: decision.decision, decidedBy: caller.sub });
      // 202: the run applies the decision (ApplyReviewDecision) right after; GET /images/{imageId}/status shows the outcome.
      return { status: 202, body: { imageId: params.imageId, decision: decision.decision, status: 'DECIDING' } };
    },
    'admin',
  );

  /** An audit entry as the API shows it: the decision, who, why, and what it changed; never a token or a key. */
  const auditEntry = (item: AuditItem) => ({
    imageId: item.imageId,
    owner: item.owner ?? null,
    revision: item.revision ?? null,
    decision: item.decision ?? null,
    reason: item.reason ?? null,
    decidedBy: item.decidedBy ?? null,
    decidedByName: item.decidedByName ?? null,
    decidedAt: item.decidedAt ?? null,
    timedOut: item.timedOut === true,
    labels: item.labels ?? [],
    threshold: item.threshold ?? null,
    statusBefore: item.statusBefore ?? null,
    statusAfter: item.statusAfter ?? null,
    applied: item.applied !== false,
  });

  router.on(
    'GET',
    '/admin/audit',
    async ({ request }): Promise<Reply> => {
      const reader = new QueryReader(request.query, ['limit', 'cursor', 'imageId']);
      const limit = reader.integer('limit', 1, 100, 25);
      const cursor = reader.string('cursor', 4096);
      const imageId = reader.string('imageId', 64);
      if (imageId !== undefined && !isImageId(imageId)) throw badRequest('"imageId" must be 32 lowercase hex characters.');
      const binding = { kind: 'audit', scope: 'all', fingerprint: imageId ?? 'ALL' };
      const startKey = cursor ? decodeCursor(cursor, binding, isAuditPosition(imageId)) : undefined;
      const page = await auditPage(deps.documents, table, { limit, imageId, startKey });
      return ok({ items: page.items.map(auditEntry), nextCursor: page.next ? encodeCursor(binding, page.next) : null });
    },
    'admin',
  );
}
