import { DeleteCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  documentClientLockTable,
  PeopleLockBusyError,
  peoplePk,
  SECTION_IDS,
  withOwnerLock,
  type AnalysisSection,
  type OwnerLockOptions,
} from '@smart-image-pipeline/contracts';
import { HttpError } from '../http/http-error';

/** SK prefix of an owner's person items (`PEOPLE#<owner>` / `PERSON#<personId>`): a name, or the person merged into. */
export const PERSON_SK_PREFIX = 'PERSON#';

/** What the owner said about a person: its name, and the person it was merged into. */
export interface PersonItem {
  personId: string;
  name?: string;
  mergedInto?: string;
}

/** Merges are followed at most this deep (each merge points at a person that was not merged at the time). */
const MAX_HOPS = 50;

/**
 * One owner's person items: only persons the owner named or merged have one (a person that faces started has none),
 * so this is one small Query per listing.
 */
export async function readPersonItems(
  documents: Pick<DynamoDBDocumentClient, 'send'>,
  tableName: string,
  owner: string,
): Promise<Map<string, PersonItem>> {
  const items = new Map<string, PersonItem>();
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await documents.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :person)',
        ExpressionAttributeValues: { ':pk': peoplePk(owner), ':person': PERSON_SK_PREFIX },
        ProjectionExpression: 'personId, #name, mergedInto',
        ExpressionAttributeNames: { '#name': 'name' },
        ConsistentRead: true,
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of (page.Items ?? []) as PersonItem[]) items.set(item.personId, item);
    startKey = page.LastEvaluatedKey;
  } while (startKey !== undefined);
  return items;
}

/** The person a person id stands for now: itself, or the person it was (transitively) merged into. */
export function rootOf(personId: string, items: ReadonlyMap<string, PersonItem>): string {
  let current = personId;
  for (let hop = 0; hop < MAX_HOPS; hop += 1) {
    const next = items.get(current)?.mergedInto;
    if (!next) return current;
    current = next;
  }
  return current;
}

/** Every person id that stands for `root`: the root itself and each person merged into it, directly or not. */
export function membersOf(root: string, items: ReadonlyMap<string, PersonItem>): string[] {
  return [root, ...[...items.keys()].filter((id) => id !== root && rootOf(id, items) === root)];
}

/** How long a request waits for the owner's lock: well inside API Gateway's 30-s integration timeout. */
const API_LOCK_WAIT_MS = 10_000;

/** The owner's person-item writes, each under the owner's people lock (the one face grouping takes). */
export function personWrites(documents: Pick<DynamoDBDocumentClient, 'send'>, tableName: string, lockOptions: OwnerLockOptions = {}) {
  const lockTable = documentClientLockTable(documents, { Put: PutCommand, Delete: DeleteCommand });
  /** @throws HttpError 503 when the owner's photos are being grouped for longer than the wait */
  const underLock = async (owner: string, work: () => Promise<void>) => {
    try {
      await withOwnerLock(lockTable, tableName, owner, work, { waitMs: API_LOCK_WAIT_MS, ...lockOptions });
    } catch (error) {
      if (error instanceof PeopleLockBusyError)
        throw new HttpError(503, 'PeopleBusy', 'Your photos are being grouped into people right now; try again in a minute.');
      throw error;
    }
  };
  const key = (owner: string, personId: string) => ({ PK: peoplePk(owner), SK: `${PERSON_SK_PREFIX}${personId}` });
  return {
    /**
     * Records that `source` is now `target`: the faces stay where they are and every reader maps them through the
     * person items, so a merge is one write however many photos the person is in.
     * @param check runs under the lock first, on the person items as they are then (it may refuse the merge)
     */
    merge: (owner: string, source: string, target: string, check: (items: Map<string, PersonItem>) => void) =>
      underLock(owner, async () => {
        check(await readPersonItems(documents, tableName, owner));
        await documents.send(
          new UpdateCommand({
            TableName: tableName,
            Key: key(owner, source),
            UpdateExpression: 'SET personId = :source, mergedInto = :target, #type = :type',
            ExpressionAttributeNames: { '#type': 'type' },
            ExpressionAttributeValues: { ':source': source, ':target': target, ':type': 'PERSON' },
          }),
        );
      }),
    /** Gives a person a name (or removes it with `undefined`). */
    rename: (owner: string, personId: string, name: string | undefined) =>
      underLock(owner, async () => {
        await documents.send(
          new UpdateCommand({
            TableName: tableName,
            Key: key(owner, personId),
            UpdateExpression: name
              ? 'SET personId = :person, #type = :type, #name = :name'
              : 'SET personId = :person, #type = :type REMOVE #name',
            ExpressionAttributeNames: { '#type': 'type', '#name': 'name' },
            ExpressionAttributeValues: { ':person': personId, ':type': 'PERSON', ...(name ? { ':name': name } : {}) },
          }),
        );
      }),
  };
}

/**
 * The analysis with each face of its `people` section pointing at the person it is part of now (merges applied), so
 * an image's "photos of this person" links name the person the People page lists.
 */
export function withCurrentPeople<T extends { sections: Record<string, AnalysisSection> }>(
  analysis: T,
  items: ReadonlyMap<string, PersonItem>,
): T {
  const people = analysis.sections[SECTION_IDS.people];
  if (!people || items.size === 0) return analysis;
  const mapped = people.items.map((item) => {
    const personId = item.attributes?.personId;
    return typeof personId === 'string' ? { ...item, attributes: { ...item.attributes, personId: rootOf(personId, items) } } : item;
  });
  return { ...analysis, sections: { ...analysis.sections, [SECTION_IDS.people]: { ...people, items: mapped } } };
}
