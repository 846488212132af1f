import { ERROR_NAMES, PipelineError } from './errors';

/**
 * The per-owner people lock: one item per owner (`PEOPLE#<owner>` / `LOCK`) taken with a conditional put and a lease.
 * Grouping faces into people and merging people run under it, so two runs for one owner never decide people at the
 * same moment (two photos of one person analysed together would otherwise each start a person). Browser-safe: the
 * table calls are passed in, so this module needs no AWS SDK.
 */
export const PEOPLE_PK_PREFIX = 'PEOPLE#';
export const PEOPLE_LOCK_SK = 'LOCK';

/** PK of an owner's people items (the lock, merged-person redirects). */
export function peoplePk(owner: string): string {
  return `${PEOPLE_PK_PREFIX}${owner}`;
}

/**
 * A lease outlives the longest holder (the analysis Lambda times out at 60 s, the API at 30 s), so a live holder never
 * loses it; a holder that died leaves a lock the next run takes once the lease has passed. `expiresAt` lets the table's
 * TTL remove forgotten lock items.
 */
export const PEOPLE_LOCK_LEASE_MS = 90_000;
/** How long a run waits for another run's lock before it gives up with PeopleLockBusyError (a retryable error). */
export const PEOPLE_LOCK_WAIT_MS = 30_000;

/** A PutItem / DeleteItem request in the document client's shape. */
export interface LockRequest {
  TableName: string;
  Item?: Record<string, unknown>;
  Key?: Record<string, unknown>;
  ConditionExpression: string;
  ExpressionAttributeValues: Record<string, unknown>;
}

/** The two table calls the lock needs; each function adapts its own DynamoDB client. */
export interface LockTable {
  /** A conditional PutItem: false when the condition failed (ConditionalCheckFailedException). */
  tryPut(request: LockRequest): Promise<boolean>;
  /** A conditional DeleteItem; a failed condition (the lock is no longer ours) is not an error. */
  deleteIf(request: LockRequest): Promise<void>;
}

const conditionFailed = (error: unknown) => (error as { name?: string } | null)?.name === 'ConditionalCheckFailedException';

/**
 * The LockTable over a DynamoDB document client; the caller passes lib-dynamodb's PutCommand and DeleteCommand, so this
 * package stays free of the AWS SDK.
 */
export function documentClientLockTable(
  db: { send(command: never): Promise<unknown> },
  commands: { Put: new (input: never) => unknown; Delete: new (input: never) => unknown },
): LockTable {
  return {
    async tryPut(request) {
      try {
        await db.send(new commands.Put(request as never) as never);
        return true;
      } catch (error) {
        if (conditionFailed(error)) return false;
        throw error;
      }
    },
    async deleteIf(request) {
      try {
        await db.send(new commands.Delete(request as never) as never);
      } catch (error) {
        if (!conditionFailed(error)) throw error;
      }
    },
  };
}

/** Another run of the same owner held the people lock for longer than PEOPLE_LOCK_WAIT_MS; retry later. */
export class PeopleLockBusyError extends PipelineError {
  public override readonly name = ERROR_NAMES.peopleLockBusy;
}

export interface OwnerLockOptions {
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Identifies this holder, so that only it releases the lock. */
  token?: string;
  leaseMs?: number;
  waitMs?: number;
}

/**
 * Runs `work` while holding the owner's people lock, and releases it afterwards (also when `work` throws).
 * @throws PeopleLockBusyError when the lock stays taken for `waitMs`
 */
export async function withOwnerLock<T>(
  table: LockTable,
  tableName: string,
  owner: string,
  work: () => Promise<T>,
  options: OwnerLockOptions = {},
): Promise<T> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const token = options.token ?? `${now()}-${Math.random().toString(36).slice(2)}`;
  const leaseMs = options.leaseMs ?? PEOPLE_LOCK_LEASE_MS;
  const key = { PK: peoplePk(owner), SK: PEOPLE_LOCK_SK };
  const giveUpAt = now() + (options.waitMs ?? PEOPLE_LOCK_WAIT_MS);
  for (let attempt = 0; ; attempt += 1) {
    const at = now();
    const taken = await table.tryPut({
      TableName: tableName,
      Item: { ...key, type: 'PEOPLE_LOCK', holder: token, leaseUntil: at + leaseMs, expiresAt: Math.ceil((at + leaseMs) / 1000) + 3600 },
      ConditionExpression: 'attribute_not_exists(PK) OR leaseUntil < :now',
      ExpressionAttributeValues: { ':now': at },
    });
    if (taken) break;
    if (at >= giveUpAt) throw new PeopleLockBusyError(`The people of owner ${owner} are being updated by another run; try again.`);
    // Short, jittered waits: a holder usually needs well under a second per image.
    await sleep(100 + Math.min(900, 50 * 2 ** Math.min(attempt, 4)) * Math.random());
  }
  try {
    return await work();
  } finally {
    await table.deleteIf({
      TableName: tableName,
      Key: key,
      ConditionExpression: 'holder = :token',
      ExpressionAttributeValues: { ':token': token },
    });
  }
}
