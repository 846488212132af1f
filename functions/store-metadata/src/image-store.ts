import { DeleteCommand, GetCommand, PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { IMAGE_SK, imagePk, LABEL_SK_PREFIX, PHASH_SK_PREFIX } from '@smart-image-pipeline/contracts';
import { failureImageItem, labelItems, perceptualHashItems, storedStatusOf, successImageItem, type Item } from './items';
import { FAILURE_MAY_WRITE, OWNS_EXISTING, OWNS_OR_ABSENT, conditionValues, mayWrite, type StoredVersion } from './ownership';
import type { ImageRef, RecordFailureInput, StoreWrite, StoreSuccessInput } from './types';

/** The logging calls the core needs; Powertools' Logger fits. */
export interface Log {
  info(message: string, ...extra: Record<string, unknown>[]): void;
}

/** What the store core works with, passed in so tests can replace it. */
export interface StoreDeps {
  readonly db: Pick<DynamoDBDocumentClient, 'send'>;
  readonly tableName: string;
  readonly now: () => Date;
  readonly logger: Log;
}

/** Search items are written this many at a time: fast, without bursting a cold on-demand partition. */
const WRITE_CONCURRENCY = 10;

function isConditionFailure(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}

async function inBatches<T>(items: readonly T[], write: (item: T) => Promise<void>): Promise<void> {
  for (let start = 0; start < items.length; start += WRITE_CONCURRENCY) {
    await Promise.all(items.slice(start, start + WRITE_CONCURRENCY).map(write));
  }
}

async function readStored(ref: ImageRef, deps: StoreDeps): Promise<(StoredVersion & { createdAt?: string }) | null> {
  const { Item: item } = await deps.db.send(
    new GetCommand({
      TableName: deps.tableName,
      Key: { PK: imagePk(ref.imageId), SK: IMAGE_SK },
      ConsistentRead: true,
      ProjectionExpression: '#rev, #so, #status, createdAt',
      ExpressionAttributeNames: { '#rev': 'revision', '#so': 'sourceOrder', '#status': 'status' },
    }),
  );
  return item === undefined ? null : (item as StoredVersion & { createdAt?: string });
}

/** Puts an item if the condition holds; false when DynamoDB refused it because a newer revision owns it. */
async function conditionalPut(
  item: Item,
  condition: string,
  ref: ImageRef,
  deps: StoreDeps,
  extraValues: Record<string, unknown> = {},
  extraNames: Record<string, string> = {},
): Promise<boolean> {
  const { names, values } = conditionValues({ revision: ref.revision, sourceOrder: ref.source.sourceOrder });
  try {
    await deps.db.send(
      new PutCommand({
        TableName: deps.tableName,
        Item: item,
        ConditionExpression: condition,
        ExpressionAttributeNames: { ...names, ...extraNames },
        ExpressionAttributeValues: { ...values, ...extraValues },
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

/** Deletes one search item if the condition holds; a refusal means someone newer owns it, which is fine. */
async function conditionalDelete(sk: string, condition: string, ref: ImageRef, deps: StoreDeps): Promise<void> {
  const { names, values } = conditionValues({ revision: ref.revision, sourceOrder: ref.source.sourceOrder });
  const usedNames = Object.fromEntries(Object.entries(names).filter(([placeholder]) => condition.includes(placeholder)));
  const usedValues = Object.fromEntries(Object.entries(values).filter(([placeholder]) => condition.includes(placeholder)));
  try {
    await deps.db.send(
      new DeleteCommand({
        TableName: deps.tableName,
        Key: { PK: imagePk(ref.imageId), SK: sk },
        ConditionExpression: condition,
        ExpressionAttributeNames: usedNames,
        ExpressionAttributeValues: usedValues,
      }),
    );
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
  }
}

/** Lists the sort keys of an image's search items (labels and hash bands), all pages. */
async function searchItemKeys(ref: ImageRef, deps: StoreDeps): Promise<string[]> {
  const keys: string[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await deps.db.send(
      new QueryCommand({
        TableName: deps.tableName,
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': imagePk(ref.imageId) },
        ProjectionExpression: 'SK',
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of page.Items ?? []) {
      const sk = String(item.SK);
      if (sk.startsWith(LABEL_SK_PREFIX) || sk.startsWith(PHASH_SK_PREFIX)) keys.push(sk);
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey !== undefined);
  return keys;
}

/** Removes search items outside `keep` that this revision is allowed to replace. */
async function removeStaleSearchItems(ref: ImageRef, keep: ReadonlySet<string>, deps: StoreDeps): Promise<number> {
  const stale = (await searchItemKeys(ref, deps)).filter((sk) => !keep.has(sk));
  await inBatches(stale, (sk) => conditionalDelete(sk, OWNS_EXISTING, ref, deps));
  return stale.length;
}

/**
 * Stores a successful run: search items first, then the image item as the commit point, so a run
 * that fails midway never leaves an item claiming SUCCEEDED for it. A stale revision writes nothing.
 * @throws ProvisionedThroughputExceededException / ThrottlingException (SDK errors) when DynamoDB throttles; the state machine retries.
 */
export async function storeImage(input: StoreSuccessInput, deps: StoreDeps): Promise<StoreWrite> {
  // imageId, bucket and key are on every line already (the handler's log keys); the revision tells runs apart.
  const logKeys = { revision: input.revision };
  const notWritten: StoreWrite = { imageId: input.imageId, status: storedStatusOf(input), written: false };
  const stored = await readStored(input, deps);
  if (!mayWrite('SUCCEEDED', stored, { revision: input.revision, sourceOrder: input.source.sourceOrder })) {
    deps.logger.info('A newer revision holds the image item; nothing written', { ...logKeys, storedRevision: stored?.revision });
    return notWritten;
  }
  const updatedAt = deps.now().toISOString();
  const searchItems = [...labelItems(input, updatedAt), ...perceptualHashItems(input, updatedAt)];
  await inBatches(searchItems, async (item) => {
    await conditionalPut(item, OWNS_OR_ABSENT, input, deps);
  });
  const removed = await removeStaleSearchItems(input, new Set(searchItems.map((item) => String(item.SK))), deps);
  const imageItem = successImageItem(input, { createdAt: stored?.createdAt ?? updatedAt, updatedAt });
  if (!(await conditionalPut(imageItem, OWNS_OR_ABSENT, input, deps))) {
    // A newer revision overtook this run after the read: drop what this run wrote (and nobody replaced).
    await inBatches(searchItems, (item) => conditionalDelete(String(item.SK), '#rev = :rev', input, deps));
    deps.logger.info('A newer revision took the image item during the write; nothing kept', logKeys);
    return notWritten;
  }
  deps.logger.info('Stored image metadata', { ...logKeys, searchItems: searchItems.length, removedSearchItems: removed });
  return { imageId: input.imageId, status: storedStatusOf(input), written: true };
}

/**
 * Records a failed run (status FAILED, error name and cause) unless a newer revision, or a success
 * of the same revision, holds the item; then removes the search items it replaces.
 * @throws ProvisionedThroughputExceededException / ThrottlingException (SDK errors) when DynamoDB throttles; the state machine retries.
 */
export async function recordFailure(input: RecordFailureInput, deps: StoreDeps): Promise<StoreWrite> {
  const logKeys = { revision: input.revision };
  const notWritten: StoreWrite = { imageId: input.imageId, status: 'FAILED', written: false };
  const stored = await readStored(input, deps);
  if (!mayWrite('FAILED', stored, { revision: input.revision, sourceOrder: input.source.sourceOrder })) {
    deps.logger.info('Failure not recorded: the item holds a newer revision or this revision succeeded', {
      ...logKeys,
      storedRevision: stored?.revision,
      storedStatus: stored?.status,
    });
    return notWritten;
  }
  const updatedAt = deps.now().toISOString();
  const item = failureImageItem(input, { createdAt: stored?.createdAt ?? updatedAt, updatedAt });
  if (!(await conditionalPut(item, FAILURE_MAY_WRITE, input, deps, { ':succeeded': 'SUCCEEDED' }, { '#status': 'status' }))) {
    deps.logger.info('Failure not recorded: the item changed during the write', logKeys);
    return notWritten;
  }
  // A failed image must not turn up in label or near-duplicate searches.
  const removed = await removeStaleSearchItems(input, new Set(), deps);
  deps.logger.info('Recorded failure', { ...logKeys, error: input.error.name, removedSearchItems: removed });
  return { imageId: input.imageId, status: 'FAILED', written: true };
}
