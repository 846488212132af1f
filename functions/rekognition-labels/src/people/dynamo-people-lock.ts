import { DeleteCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { documentClientLockTable, withOwnerLock } from '@smart-image-pipeline/contracts';
import type { PeopleLock } from './group-faces';

/** The owner's people lock as an item of the images table (contracts' withOwnerLock over PutItem/DeleteItem). */
export function createDynamoPeopleLock(db: Pick<DynamoDBDocumentClient, 'send'>, tableName: string): PeopleLock {
  const table = documentClientLockTable(db, { Put: PutCommand, Delete: DeleteCommand });
  return { withOwnerLock: (owner, work) => withOwnerLock(table, tableName, owner, work) };
}
