import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { AUDIT_LOG_PK, AUDIT_SK_PREFIX, GSI1, imagePk, isObject } from '@smart-image-pipeline/contracts';

/** An AUDIT item as ModerationReviewFunction writes it (one per decision, never overwritten). */
export interface AuditItem {
  imageId: string;
  owner?: string;
  revision?: string;
  decision?: string;
  reason?: string;
  decidedBy?: string;
  decidedByName?: string;
  decidedAt?: string;
  timedOut?: boolean;
  labels?: Array<{ name: string; confidence: number; parentName?: string }>;
  threshold?: number;
  statusBefore?: string;
  statusAfter?: string;
  applied?: boolean;
}

type Documents = Pick<DynamoDBDocumentClient, 'send'>;

/**
 * Whether a page position is one this listing wrote: the GSI1 key of an AUDIT item for the whole log, or the table key
 * of one of the image's AUDIT items when filtered by image (anything else would read other items).
 */
export function isAuditPosition(imageId: string | undefined): (value: unknown) => value is Record<string, string> {
  return (value): value is Record<string, string> => {
    if (!isObject(value) || !Object.values(value).every((v) => typeof v === 'string')) return false;
    const keys = Object.keys(value).sort().join(',');
    if (imageId) return keys === 'PK,SK' && value.PK === imagePk(imageId) && String(value.SK).startsWith(AUDIT_SK_PREFIX);
    return keys === 'GSI1PK,GSI1SK,PK,SK' && value.GSI1PK === AUDIT_LOG_PK && String(value.SK).startsWith(AUDIT_SK_PREFIX);
  };
}

/**
 * One page of the audit log, newest decision first: every image's (GSI1 partition AUDIT) or one image's (its own
 * AUDIT# items), and where the next page starts.
 */
export async function auditPage(
  documents: Documents,
  tableName: string,
  options: { limit: number; imageId?: string; startKey?: Record<string, unknown> },
): Promise<{ items: AuditItem[]; next?: Record<string, unknown> }> {
  const query = options.imageId
    ? {
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :audit)',
        ExpressionAttributeValues: { ':pk': imagePk(options.imageId), ':audit': AUDIT_SK_PREFIX },
      }
    : { IndexName: GSI1, KeyConditionExpression: 'GSI1PK = :pk', ExpressionAttributeValues: { ':pk': AUDIT_LOG_PK } };
  const page = await documents.send(
    new QueryCommand({
      TableName: tableName,
      ...query,
      ScanIndexForward: false,
      Limit: options.limit,
      ExclusiveStartKey: options.startKey,
    }),
  );
  return { items: (page.Items ?? []) as AuditItem[], next: page.LastEvaluatedKey };
}
