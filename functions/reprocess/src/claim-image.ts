import { DeleteCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { imagePk, reprocessClaimSk } from '@smart-image-pipeline/contracts';

/** What claiming needs: the table, a clock and how long a claim holds (`reprocessClaimSeconds`). */
export interface ClaimDeps {
  readonly db: Pick<DynamoDBDocumentClient, 'send'>;
  readonly tableName: string;
  readonly now: () => Date;
  readonly claimSeconds: number;
}

/** One image revision, claimed for a target version by one reprocess run. */
export interface Claim {
  imageId: string;
  revision: string;
  version: string;
  runName: string;
  /**
   * `updatedAt` of the image item as this run read it (consistently), when its status is an end state (a QUARANTINED
   * item's run is still waiting for its review, so its write does not end the claim); absent otherwise.
   */
  itemUpdatedAt?: string;
}

/**
 * Claims the image for this reprocess run and version (a conditional put of `IMAGE#<id>` / `REPROCESS#<version>`), so
 * two runs of one version started together never both process it. The claim is granted when there is none, when this
 * run holds it already (a retried PrepareImage), when it was taken for another revision, when the image item this run
 * read was written with an end status after it (the claiming run stored its result, or the image moved on since), or
 * when it is older than `claimSeconds` (the pipeline run it started has ended, review wait included). `expiresAt` lets
 * the table's TTL remove it afterwards.
 * @returns false when another run of the same version holds the claim.
 */
export async function claimImage(claim: Claim, deps: ClaimDeps): Promise<boolean> {
  const now = deps.now();
  try {
    await deps.db.send(
      new PutCommand({
        TableName: deps.tableName,
        Item: {
          PK: imagePk(claim.imageId),
          SK: reprocessClaimSk(claim.version),
          type: 'REPROCESS_CLAIM',
          runName: claim.runName,
          revision: claim.revision,
          claimedAt: now.toISOString(),
          expiresAt: Math.ceil(now.getTime() / 1000) + deps.claimSeconds,
        },
        ConditionExpression: `attribute_not_exists(PK) OR runName = :run OR revision <> :rev OR claimedAt < :lapsed${
          claim.itemUpdatedAt === undefined ? '' : ' OR claimedAt < :itemWritten'
        }`,
        ExpressionAttributeValues: {
          ':run': claim.runName,
          ':rev': claim.revision,
          ':lapsed': new Date(now.getTime() - deps.claimSeconds * 1000).toISOString(),
          ...(claim.itemUpdatedAt === undefined ? {} : { ':itemWritten': claim.itemUpdatedAt }),
        },
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof Error && error.name === 'ConditionalCheckFailedException') return false;
    throw error;
  }
}

/**
 * Gives a claim back after the claiming run's pipeline run failed (it has ended), so another run of the version may
 * try the image at once; only this run's own claim is deleted.
 * @returns false when the claim was not this run's (or is gone already).
 */
export async function releaseClaim(claim: Omit<Claim, 'revision'>, deps: Pick<ClaimDeps, 'db' | 'tableName'>): Promise<boolean> {
  try {
    await deps.db.send(
      new DeleteCommand({
        TableName: deps.tableName,
        Key: { PK: imagePk(claim.imageId), SK: reprocessClaimSk(claim.version) },
        ConditionExpression: 'runName = :run',
        ExpressionAttributeValues: { ':run': claim.runName },
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof Error && error.name === 'ConditionalCheckFailedException') return false;
    throw error;
  }
}
