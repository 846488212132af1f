import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ownerFacesIndexPk, type Box } from '@smart-image-pipeline/contracts';

/** One face item as the people routes read it (docs/contracts.md "face (people grouping)"). */
export interface FaceEntry {
  faceId: string;
  imageId: string;
  personId: string;
  box: Box;
  confidence: number;
  indexedAt: string;
}

/** Faces read per listing at most: an owner with more sees the people of the first ones and `truncated: true`. */
export const MAX_FACES_READ = 5000;

/**
 * Reads one owner's face items from GSI2 (`OWNER#<owner>#FACES`), all of them or one person's (`begins_with`), oldest
 * first. The partition names the owner, so another user's faces can never come back.
 */
export async function ownerFaces(
  documents: Pick<DynamoDBDocumentClient, 'send'>,
  tableName: string,
  owner: string,
  personId?: string,
): Promise<{ faces: FaceEntry[]; truncated: boolean }> {
  const faces: FaceEntry[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await documents.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: 'GSI2',
        KeyConditionExpression: personId ? 'GSI2PK = :pk AND begins_with(GSI1SK, :person)' : 'GSI2PK = :pk',
        ExpressionAttributeValues: { ':pk': ownerFacesIndexPk(owner), ...(personId ? { ':person': `${personId}#` } : {}) },
        ProjectionExpression: 'faceId, imageId, personId, box, confidence, indexedAt',
        Limit: Math.min(1000, MAX_FACES_READ - faces.length),
        ExclusiveStartKey: startKey,
      }),
    );
    faces.push(...((page.Items ?? []) as FaceEntry[]));
    startKey = page.LastEvaluatedKey;
  } while (startKey !== undefined && faces.length < MAX_FACES_READ);
  return { faces, truncated: startKey !== undefined };
}
