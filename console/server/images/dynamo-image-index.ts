import { BatchGetCommand, QueryCommand, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { GSI1, IMAGE_SK, imageIdFromIndexSk, imagePk, isImageId, phashIndexPk, DELETED_STATUS } from '@smart-image-pipeline/contracts';
import type { ImageItem } from './image-item';
import type { ImageIndex, IndexEntry } from './list-images';

/** The table reads of the console: GSI1 partitions, image items by id, and everything under one image. */
export class DynamoImageIndex implements ImageIndex {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Queries GSI1 newest/highest first within the sort-key range. */
  async queryPartition(partition: string, range: { below?: string; atLeast?: string }, limit: number): Promise<{ entries: IndexEntry[]; exhausted: boolean }> {
    const input: QueryCommandInput = {
      TableName: this.tableName,
      IndexName: GSI1,
      ScanIndexForward: false,
      Limit: limit,
      ExpressionAttributeValues: { ':pk': partition },
      KeyConditionExpression: 'GSI1PK = :pk',
    };
    if (range.below !== undefined && range.atLeast !== undefined) {
      input.KeyConditionExpression += ' AND GSI1SK BETWEEN :low AND :high';
      Object.assign(input.ExpressionAttributeValues as object, { ':low': range.atLeast, ':high': range.below });
    } else if (range.below !== undefined) {
      input.KeyConditionExpression += ' AND GSI1SK < :high';
      Object.assign(input.ExpressionAttributeValues as object, { ':high': range.below });
    } else if (range.atLeast !== undefined) {
      input.KeyConditionExpression += ' AND GSI1SK >= :low';
      Object.assign(input.ExpressionAttributeValues as object, { ':low': range.atLeast });
    }
    const answer = await this.documents.send(new QueryCommand(input));
    const entries: IndexEntry[] = [];
    for (const raw of answer.Items ?? []) {
      const sortKey = String(raw.GSI1SK ?? '');
      // BETWEEN includes its upper bound, which is the entry already examined.
      if (range.below !== undefined && sortKey >= range.below) continue;
      const imageId = imageIdFromIndexSk(sortKey);
      if (!imageId) continue;
      const isImageItem = raw.SK === IMAGE_SK && typeof raw.status === 'string';
      entries.push({ sortKey, imageId, item: isImageItem ? (raw as ImageItem) : undefined });
    }
    return { entries, exhausted: answer.LastEvaluatedKey === undefined };
  }

  /** Reads image items in batches of 100, retrying unprocessed keys. */
  async getImages(imageIds: readonly string[]): Promise<Map<string, ImageItem>> {
    const found = new Map<string, ImageItem>();
    const unique = [...new Set(imageIds)];
    for (let start = 0; start < unique.length; start += 100) {
      let keys: Array<Record<string, unknown>> = unique.slice(start, start + 100).map((id) => ({ PK: imagePk(id), SK: IMAGE_SK }));
      for (let attempt = 0; keys.length > 0 && attempt < 5; attempt += 1) {
        const answer = await this.documents.send(new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: keys } } }));
        // A deleted upload's item only guards against late runs; to readers the image is gone.
        for (const item of answer.Responses?.[this.tableName] ?? []) if (item.status !== DELETED_STATUS) found.set(String(item.imageId), item as ImageItem);
        keys = (answer.UnprocessedKeys?.[this.tableName]?.Keys as Array<Record<string, unknown>> | undefined) ?? [];
      }
    }
    return found;
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
        if (item.SK === IMAGE_SK && item.status !== DELETED_STATUS) image = item as ImageItem;
        else children.push(item);
      }
      startKey = answer.LastEvaluatedKey;
    } while (startKey);
    return { image, children };
  }

  /** The imageIds sharing one perceptual-hash band, at most `limit` of them. */
  async imagesInHashBand(band: number, bandHex: string, limit: number): Promise<string[]> {
    const answer = await this.documents.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: GSI1,
        KeyConditionExpression: 'GSI1PK = :pk',
        ExpressionAttributeValues: { ':pk': phashIndexPk(band, bandHex) },
        Limit: limit,
      }),
    );
    return (answer.Items ?? []).map((item) => String(item.GSI1SK ?? '')).filter(isImageId);
  }
}
