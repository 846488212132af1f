import { DeleteCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { withOwnerLock, type LockTable } from '@smart-image-pipeline/contracts';
import type { PeopleLock } from './group-faces';

const conditionFailed = (error: unknown) => (error as { name?: string } | null)?.name === 'ConditionalCheckFailedException';

/** The owner's people lock as an item of the images table (contracts' withOwnerLock over PutItem/DeleteItem). */
export function createDynamoPeopleLock(db: Pick<DynamoDBDocumentClient, 'send'>, tableName: string): PeopleLock {
  const table: LockTable = {
    async tryPut(request) {
      try {
        await db.send(new PutCommand(request as ConstructorParameters<typeof PutCommand>[0]));
        return true;
      } catch (error) {
        if (conditionFailed(error)) return false;
        throw error;
      }
    },
    async deleteIf(request) {
      try {
        await db.send(new DeleteCommand(request as ConstructorParameters<typeof DeleteCommand>[0]));
      } catch (error) {
        if (!conditionFailed(error)) throw error;
      }
    },
  };
  return { withOwnerLock: (owner, work) => withOwnerLock(table, tableName, owner, work) };
}
