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

/** One page of the owner's people: the faces of up to `limit` persons, in person-id order (GSI2's sort order). */
export interface PeoplePage {
  /** Faces by person id, in person-id order; each person's faces complete. */
  byPerson: Map<string, FaceEntry[]>;
  /** The last person on this page when more follow (the cursor's position), else undefined. */
  lastPersonId?: string;
  facesRead: number;
}

/**
 * Reads the faces of the next `limit` persons after `after` (exclusive) from the owner's GSI2 face partition, which
 * is sorted by person first (`<personId>#<indexedAt>#<imageId>`), skipping the persons in `skip` (merged into
 * another). A page reads only its persons' faces (and the skipped persons' in its range), whatever the owner holds.
 */
export async function ownerPeoplePage(
  documents: Pick<DynamoDBDocumentClient, 'send'>,
  tableName: string,
  owner: string,
  options: { after?: string; limit: number; skip: ReadonlySet<string> },
): Promise<PeoplePage> {
  const byPerson = new Map<string, FaceEntry[]>();
  let facesRead = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await documents.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: 'GSI2',
        // '$' sorts right after '#', so `<after>$` is past every face of `after` and before the next person's.
        KeyConditionExpression: options.after ? 'GSI2PK = :pk AND GSI1SK > :after' : 'GSI2PK = :pk',
        ExpressionAttributeValues: { ':pk': ownerFacesIndexPk(owner), ...(options.after ? { ':after': `${options.after}$` } : {}) },
        ProjectionExpression: 'faceId, imageId, personId, box, confidence, indexedAt',
        Limit: 500,
        ExclusiveStartKey: startKey,
      }),
    );
    for (const face of (page.Items ?? []) as FaceEntry[]) {
      facesRead += 1;
      if (options.skip.has(face.personId)) continue;
      if (!byPerson.has(face.personId) && byPerson.size === options.limit)
        return { byPerson, lastPersonId: [...byPerson.keys()].at(-1), facesRead };
      byPerson.set(face.personId, [...(byPerson.get(face.personId) ?? []), face]);
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey !== undefined);
  return { byPerson, facesRead };
}
