import { BatchGetCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  DELETED_STATUS,
  GSI1,
  GSI2,
  IMAGE_SK,
  imagePk,
  labelIndexPk,
  ownerStatusIndexPk,
  statusIndexPk,
  isOlderVersion,
  storedPipelineVersion,
  type ReprocessRequest,
  type Selection,
} from '@smart-image-pipeline/contracts';

/** Where manifests go and how the table and bucket are reached; passed in so tests can replace them. */
export interface SelectDeps {
  readonly db: Pick<DynamoDBDocumentClient, 'send'>;
  readonly tableName: string;
  readonly bucket: string;
  /** Writes the manifest object (JSON lines). */
  readonly putManifest: (key: string, body: string) => Promise<void>;
}

/** What SelectImages returns: the manifest the Distributed Map reads, and how many images it lists. */
export interface SelectionResult {
  bucket: string;
  key: string;
  count: number;
  /** Images the selection matched that already hold a result of the target version (left out). */
  alreadyCurrent: number;
  maxConcurrency: number;
}

/** The folder of the manifests in the processed bucket (ResultWriter writes beside it, under results/). */
export const MANIFEST_PREFIX = 'reprocess/manifests/';

// BatchGetItem takes at most 100 keys per call.
const BATCH_SIZE = 100;

function partitionsOf(selection: Selection): Array<{ index: string; key: string }> {
  const statuses = ['SUCCEEDED', 'FAILED'] as const;
  switch (selection.kind) {
    case 'failed':
      return [{ index: GSI1, key: statusIndexPk('FAILED') }];
    case 'label':
      return [{ index: GSI1, key: labelIndexPk(selection.label) }];
    case 'user':
      return statuses.map((status) => ({ index: GSI2, key: ownerStatusIndexPk(selection.owner, status) }));
    default:
      return statuses.map((status) => ({ index: GSI1, key: statusIndexPk(status) }));
  }
}

async function idsIn(partition: { index: string; key: string }, deps: SelectDeps): Promise<string[]> {
  const ids: string[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await deps.db.send(
      new QueryCommand({
        TableName: deps.tableName,
        IndexName: partition.index,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': partition.index === GSI2 ? 'GSI2PK' : 'GSI1PK', '#id': 'imageId' },
        ExpressionAttributeValues: { ':pk': partition.key },
        ProjectionExpression: '#id',
        ExclusiveStartKey: start,
      }),
    );
    for (const item of page.Items ?? []) if (typeof item.imageId === 'string') ids.push(item.imageId);
    start = page.LastEvaluatedKey;
  } while (start);
  return ids;
}

type ImageState = { imageId: string; status?: string; pipelineVersion?: string };

async function imageStates(ids: readonly string[], deps: SelectDeps): Promise<ImageState[]> {
  const states: ImageState[] = [];
  for (let offset = 0; offset < ids.length; offset += BATCH_SIZE) {
    let keys: Array<Record<string, unknown>> | undefined = ids
      .slice(offset, offset + BATCH_SIZE)
      .map((id) => ({ PK: imagePk(id), SK: IMAGE_SK }));
    // BatchGetItem may hand back keys it did not get to; ask again for those.
    while (keys && keys.length > 0) {
      const answer = await deps.db.send(
        new BatchGetCommand({
          RequestItems: {
            [deps.tableName]: {
              Keys: keys,
              ProjectionExpression: 'imageId, #status, pipelineVersion',
              ExpressionAttributeNames: { '#status': 'status' },
            },
          },
        }),
      );
      states.push(...((answer.Responses?.[deps.tableName] ?? []) as ImageState[]));
      keys = answer.UnprocessedKeys?.[deps.tableName]?.Keys as Array<Record<string, unknown>> | undefined;
    }
  }
  return states;
}

/**
 * Finds the images a selection names (index queries, then the image items), leaves out deleted images and those
 * whose stored success the target version already made, and writes one JSON line `{"imageId": …}` per image to
 * `reprocess/manifests/<run>.jsonl`. A second run of the same selection therefore lists nothing.
 */
export async function selectImages(request: ReprocessRequest, runName: string, deps: SelectDeps): Promise<SelectionResult> {
  const ids = new Set<string>();
  for (const partition of partitionsOf(request.selection)) for (const id of await idsIn(partition, deps)) ids.add(id);
  const states = await imageStates([...ids].sort(), deps);
  let alreadyCurrent = 0;
  const chosen = states.filter((state) => {
    if (state.status === undefined || state.status === DELETED_STATUS) return false;
    const stored = storedPipelineVersion(state);
    if (request.selection.kind === 'older-than' && !isOlderVersion(stored, request.selection.version)) return false;
    if (state.status === 'SUCCEEDED' && stored === request.version) {
      alreadyCurrent += 1;
      return false;
    }
    return true;
  });
  const key = `${MANIFEST_PREFIX}${runName}.jsonl`;
  await deps.putManifest(key, chosen.map((state) => `${JSON.stringify({ imageId: state.imageId })}\n`).join(''));
  return { bucket: deps.bucket, key, count: chosen.length, alreadyCurrent, maxConcurrency: request.maxConcurrency };
}
