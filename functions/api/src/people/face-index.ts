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
  /** `<personId>#<indexedAt>#<imageId>`: the face's place in the owner's GSI2 partition. */
  GSI1SK: string;
}

type Documents = Pick<DynamoDBDocumentClient, 'send'>;

/** Faces read per person at most where a person's faces are counted whole (the listing's counts, merge checks). */
export const MAX_FACES_READ = 5000;

/** A condition on the face's place (`GSI1SK`) in the owner's GSI2 partition, and the direction to read in. */
interface FaceRange {
  condition?: string;
  values?: Record<string, string>;
  newestFirst?: boolean;
  /** Items per Query call: about what the caller will consume, so a short page reads no more than it needs. */
  pageSize?: number;
}

/** One person's faces: their GSI1SK starts with `<personId>#`. */
const personRange = (personId: string): FaceRange => ({ condition: 'begins_with(GSI1SK, :person)', values: { ':person': `${personId}#` } });

/**
 * Every face item of the owner's GSI2 partition (`OWNER#<owner>#FACES`) in `range`, in GSI1SK order (person id first),
 * read page by page as the caller consumes them. The partition names the owner, so another user's faces can never
 * come back. The one query behind every face read of the people routes.
 */
async function* ownerFaceItems(documents: Documents, tableName: string, owner: string, range: FaceRange): AsyncGenerator<FaceEntry> {
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await documents.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: 'GSI2',
        KeyConditionExpression: range.condition ? `GSI2PK = :pk AND ${range.condition}` : 'GSI2PK = :pk',
        ExpressionAttributeValues: { ':pk': ownerFacesIndexPk(owner), ...range.values },
        ProjectionExpression: 'faceId, imageId, personId, box, confidence, indexedAt, GSI1SK',
        ScanIndexForward: !range.newestFirst,
        Limit: range.pageSize ?? 500,
        ExclusiveStartKey: startKey,
      }),
    );
    for (const face of (page.Items ?? []) as FaceEntry[]) yield face;
    startKey = page.LastEvaluatedKey;
  } while (startKey !== undefined);
}

/** The owner's faces of one person (not of those merged into it), oldest first, at most MAX_FACES_READ. */
export async function ownerFaces(
  documents: Documents,
  tableName: string,
  owner: string,
  personId: string,
): Promise<{ faces: FaceEntry[]; truncated: boolean }> {
  const faces: FaceEntry[] = [];
  for await (const face of ownerFaceItems(documents, tableName, owner, personRange(personId))) {
    if (faces.length === MAX_FACES_READ) return { faces, truncated: true };
    faces.push(face);
  }
  return { faces, truncated: false };
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
  documents: Documents,
  tableName: string,
  owner: string,
  options: { after?: string; limit: number; skip: ReadonlySet<string> },
): Promise<PeoplePage> {
  const byPerson = new Map<string, FaceEntry[]>();
  let facesRead = 0;
  // '$' sorts right after '#', so `<after>$` is past every face of `after` and before the next person's.
  const range: FaceRange = options.after ? { condition: 'GSI1SK > :after', values: { ':after': `${options.after}$` } } : {};
  for await (const face of ownerFaceItems(documents, tableName, owner, range)) {
    facesRead += 1;
    if (options.skip.has(face.personId)) continue;
    if (!byPerson.has(face.personId) && byPerson.size === options.limit)
      return { byPerson, lastPersonId: [...byPerson.keys()].at(-1), facesRead };
    byPerson.set(face.personId, [...(byPerson.get(face.personId) ?? []), face]);
  }
  return { byPerson, facesRead };
}

/**
 * The next `limit` faces of a person and of every person merged into it (`members`), newest first within each member,
 * members in descending id order: the GSI2 partition read backwards, so `after` (the GSI1SK of the last face of the
 * previous page) is a complete position. A page reads at most `limit` faces (plus one, to know whether more follow).
 * @returns the faces and, when more follow, the GSI1SK to continue after
 */
export async function personFacesPage(
  documents: Documents,
  tableName: string,
  owner: string,
  options: { members: readonly string[]; after?: string; limit: number },
): Promise<{ faces: FaceEntry[]; last?: string }> {
  const faces: FaceEntry[] = [];
  const members = [...options.members].sort().reverse();
  const afterMember = options.after?.slice(0, options.after.indexOf('#'));
  for (const member of members) {
    if (afterMember !== undefined && member > afterMember) continue;
    // Within the member of the cursor: from its start up to the cursor, whose own face was on the last page.
    const range: FaceRange =
      member === afterMember
        ? { condition: 'GSI1SK BETWEEN :start AND :after', values: { ':start': `${member}#`, ':after': options.after! } }
        : personRange(member);
    const reading = { ...range, newestFirst: true, pageSize: options.limit - faces.length + 2 };
    for await (const face of ownerFaceItems(documents, tableName, owner, reading)) {
      if (face.GSI1SK === options.after) continue;
      if (faces.length === options.limit) return { faces, last: faces.at(-1)!.GSI1SK };
      faces.push(face);
    }
  }
  return { faces };
}
