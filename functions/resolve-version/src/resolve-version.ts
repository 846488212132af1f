import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  analysisFingerprint,
  checkPipelineConfig,
  isObject,
  PipelineVersionChangedError,
  requirePipelineVersion,
  VERSION_SK,
  versionPk,
  type PipelineVersion,
} from '@smart-image-pipeline/contracts';
import { InvalidConfigError } from './errors';
import type { ResolvedVersion } from './types';

/** What resolving needs, passed in so tests can replace it. */
export interface ResolveDeps {
  /** The PipelineConfig parameter's text (cached by the caller). */
  readonly fetchConfig: () => Promise<string | undefined>;
  readonly db: Pick<DynamoDBDocumentClient, 'send'>;
  readonly tableName: string;
  /** The stack's VariantWidths: what a version that names none writes. */
  readonly defaultWidths: readonly number[];
  readonly now: () => Date;
  /** Versions this container already pinned (name -> fingerprint), so a warm run reads nothing. */
  readonly pinned: Map<string, string>;
}

function parseConfig(raw: string | undefined, defaultWidths: readonly number[]) {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw ?? '');
  } catch (error) {
    throw new InvalidConfigError(`The PipelineConfig parameter is not JSON: ${(error as Error).message}`, { cause: error });
  }
  const checked = checkPipelineConfig(parsed, defaultWidths);
  if (checked.problems) throw new InvalidConfigError(`Invalid PipelineConfig: ${checked.problems.join('; ')}`);
  return checked.config;
}

async function pinnedFingerprint(version: PipelineVersion, deps: ResolveDeps): Promise<string | undefined> {
  const { Item: item } = await deps.db.send(
    new GetCommand({ TableName: deps.tableName, Key: { PK: versionPk(version.name), SK: VERSION_SK }, ConsistentRead: true }),
  );
  return isObject(item) && typeof item.fingerprint === 'string' ? item.fingerprint : undefined;
}

/**
 * Writes the version's `VERSION#<name>` item unless one exists (conditional put), then checks that the pinned
 * fingerprint is the configured one, so a version's settings can never change under its name.
 * @throws PipelineVersionChangedError when the version already ran with other settings.
 */
export async function pinPipelineVersion(version: PipelineVersion, deps: ResolveDeps): Promise<void> {
  if (deps.pinned.get(version.name) === version.fingerprint) return;
  let pinned = await pinnedFingerprint(version, deps);
  if (pinned === undefined) {
    try {
      await deps.db.send(
        new PutCommand({
          TableName: deps.tableName,
          Item: {
            PK: versionPk(version.name),
            SK: VERSION_SK,
            name: version.name,
            fingerprint: version.fingerprint,
            settings: version.settings,
            createdAt: deps.now().toISOString(),
          },
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      );
      pinned = version.fingerprint;
    } catch (error) {
      if (!(error instanceof Error && error.name === 'ConditionalCheckFailedException')) throw error;
      // Another run pinned it between the read and the write: its fingerprint decides.
      pinned = await pinnedFingerprint(version, deps);
    }
  }
  if (pinned !== version.fingerprint) throw new PipelineVersionChangedError(version.name, pinned ?? '', version.fingerprint);
  deps.pinned.set(version.name, pinned);
}

/**
 * Picks the version a run uses (the requested one, else the config's current one) and pins it.
 * @throws InvalidConfigError, UnknownPipelineVersionError, PipelineVersionChangedError.
 */
export async function resolveVersion(requested: string | undefined, deps: ResolveDeps): Promise<ResolvedVersion> {
  const config = parseConfig(await deps.fetchConfig(), deps.defaultWidths);
  const version = requirePipelineVersion(config, requested);
  await pinPipelineVersion(version, deps);
  return {
    name: version.name,
    fingerprint: version.fingerprint,
    variantWidths: [...version.settings.variantWidths],
    analysisFingerprint: analysisFingerprint(version.settings.analysis),
  };
}
