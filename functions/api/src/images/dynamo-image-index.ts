import { BatchGetCommand, QueryCommand, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import {
  DELETED_STATUS,
  GSI1,
  GSI2,
  IMAGE_SK,
  imageIdFromIndexSk,
  imagePk,
  isImageId,
  ownerPhashIndexPk,
  phashIndexPk,
} from '@smart-image-pipeline/contracts';
import type { ImageItem } from './image-item';
import type { ImageIndex, IndexEntry, IndexFilter, IndexPartition, PartitionPage } from './list-images';

/** The read capacity a call reports (every call asks for it; DynamoDB reports it at no cost). */
function unitsOf(consumed: { CapacityUnits?: number } | Array<{ CapacityUnits?: number }> | undefined): number {
  return ([] as Array<{ CapacityUnits?: number }>).concat(consumed ?? []).reduce((sum, entry) => sum + (entry.CapacityUnits ?? 0), 0);
}

/** The table reads of the API: index partitions, image items by id, and everything under one image. */
export class DynamoImageIndex implements ImageIndex {
  constructor(
    private readonly documents: Pick<DynamoDBDocumentClient, 'send'>,
    private readonly tableName: string,
  ) {}

  /** Queries one GSI1/GSI2 partition newest/highest first within the sort-key range, filtered in DynamoDB. */
  async queryPartition(
    partition: IndexPartition,
    range: { below?: string; atLeast?: string },
    limit: number,
    filter?: IndexFilter,
  ): Promise<PartitionPage> {
    const pkName = partition.index === GSI1 ? 'GSI1PK' : 'GSI2PK';
    const values: Record<string, unknown> = { ':pk': partition.key, ...filter?.values };
    let condition = `${pkName} = :pk`;
    if (range.below !== undefined && range.atLeast !== undefined) {
      if (range.atLeast >= range.below) return { entries: [], exhausted: true, scanned: 0, readUnits: 0 };
      condition += ' AND GSI1SK BETWEEN :low AND :high';
      Object.assign(values, { ':low': range.atLeast, ':high': range.below });
    } else if (range.below !== undefined) {
      condition += ' AND GSI1SK < :high';
      values[':high'] = range.below;
    } else if (range.atLeast !== undefined) {
      condition += ' AND GSI1SK >= :low';
      values[':low'] = range.atLeast;
    }
    const input: QueryCommandInput = {
      TableName: this.tableName,
      IndexName: partition.index,
      ScanIndexForward: false,
      Limit: limit,
      KeyConditionExpression: condition,
      ExpressionAttributeValues: values,
      ReturnConsumedCapacity: 'TOTAL',
      ...(filter ? { FilterExpression: filter.expression, ExpressionAttributeNames: filter.names } : {}),
    };
    const answer = await this.documents.send(new QueryCommand(input));
    const entries: IndexEntry[] = [];
    for (const raw of answer.Items ?? []) {
      const sortKey = String(raw.GSI1SK ?? '');
      // BETWEEN includes its upper bound, which is the entry already read.
      if (range.below !== undefined && sortKey >= range.below) continue;
      const imageId = imageIdFromIndexSk(sortKey);
      if (!imageId) continue;
      const isImageItem = raw.SK === IMAGE_SK && typeof raw.status === 'string';
      entries.push({ sortKey, imageId, item: isImageItem ? (raw as ImageItem) : undefined });
    }
    const last = answer.LastEvaluatedKey?.GSI1SK;
    return {
      entries,
      exhausted: answer.LastEvaluatedKey === undefined,
      frontier: typeof last === 'string' ? last : undefined,
      scanned: answer.ScannedCount ?? entries.length,
      readUnits: unitsOf(answer.ConsumedCapacity),
    };
  }

  /** Reads image items in batches of 100, retrying unprocessed keys. */
  async getImages(imageIds: readonly string[]): Promise<{ items: Map<string, ImageItem>; readUnits: number }> {
    const items = new Map<string, ImageItem>();
    let readUnits = 0;
    const unique = [...new Set(imageIds)];
    for (let start = 0; start < unique.length; start += 100) {
      let keys: Array<Record<string, unknown>> = unique.slice(start, start + 100).map((id) => ({ PK: imagePk(id), SK: IMAGE_SK }));
      for (let attempt = 0; keys.length > 0 && attempt < 5; attempt += 1) {
        const answer = await this.documents.send(
          new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: keys } }, ReturnConsumedCapacity: 'TOTAL' }),
        );
        readUnits += unitsOf(answer.ConsumedCapacity);
        // A deleted upload's item (a tombstone) only guards against late runs; to readers the image is gone.
        for (const item of answer.Responses?.[this.tableName] ?? [])
          if (item.status !== DELETED_STATUS) items.set(String(item.imageId), item as ImageItem);
        keys = (answer.UnprocessedKeys?.[this.tableName]?.Keys as Array<Record<string, unknown>> | undefined) ?? [];
      }
    }
    return { items, readUnits };
  }

  /** Every item under `IMAGE#<id>`: the image item, its label items and its hash bands. */
  async getImageFamily(imageId: string): Promise<{ image?: ImageItem; children: Array<Record<string, unknown>> }> {
    const children: Array<Record<string, unknown>> = [];
    let image: ImageItem | undefined;
    let startKey: Record<string, unknown> | undefined;
    do {
      const answer = await this.documents.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'PK = :pk',
          ExpressionAttributeValues: { ':pk': imagePk(imageId) },
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of answer.Items ?? []) {
        if (item.SK === IMAGE_SK) {
          if (item.status !== DELETED_STATUS) image = item as ImageItem;
        } else children.push(item);
      }
      startKey = answer.LastEvaluatedKey;
    } while (startKey);
    return { image, children };
  }

  /** The imageIds sharing one perceptual-hash band, at most `limit`, among one owner's images or everyone's. */
  async imagesInHashBand(band: number, bandHex: string, limit: number, owner?: string): Promise<string[]> {
    const answer = await this.documents.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: owner === undefined ? GSI1 : GSI2,
        KeyConditionExpression: `${owner === undefined ? 'GSI1PK' : 'GSI2PK'} = :pk`,
        ExpressionAttributeValues: { ':pk': owner === undefined ? phashIndexPk(band, bandHex) : ownerPhashIndexPk(owner, band, bandHex) },
        Limit: limit,
      }),
    );
    return (answer.Items ?? []).map((item) => String(item.GSI1SK ?? '')).filter(isImageId);
  }
}
