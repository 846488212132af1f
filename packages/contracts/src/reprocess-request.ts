import { ERROR_NAMES, PipelineError } from './errors';
import { PIPELINE_VERSION_PATTERN } from './ids';
import { OWNER_PATTERN } from './owner';
import { versionNumber } from './pipeline-version';

/** The selection, the version or the concurrency of a reprocess request cannot be run; nothing was changed. */
export class InvalidReprocessRequestError extends PipelineError {
  public override readonly name = ERROR_NAMES.invalidReprocessRequest;
}

/** Which images a reprocess run takes (docs/reprocessing.md). */
export type Selection =
  | { kind: 'all' }
  | { kind: 'failed' }
  | { kind: 'user'; owner: string }
  | { kind: 'label'; label: string }
  | { kind: 'older-than'; version: string };

/** Concurrency of the Distributed Map's children when the request names none, and the most it may name. */
export const DEFAULT_MAX_CONCURRENCY = 10;
export const MAX_MAX_CONCURRENCY = 1000;

/** A reprocess request as the reprocess state machine receives it (the API and `npm run reprocess` send it). */
export interface ReprocessRequest {
  version: string;
  selection: Selection;
  maxConcurrency: number;
}

const WHERE_FORMS = '"all", "failed", "user=<sub or unowned>", "label=<name>" or "older-than=v<N>"';

/**
 * Reads a `where` text: `all`, `failed`, `user=<owner>`, `label=<name>`, `older-than=v<N>`.
 * @throws InvalidReprocessRequestError naming the accepted forms.
 */
export function parseWhere(where: unknown): Selection {
  if (typeof where !== 'string') throw new InvalidReprocessRequestError(`"where" must be ${WHERE_FORMS} (got ${JSON.stringify(where)})`);
  const text = where.trim();
  if (text === 'all' || text === 'failed') return { kind: text };
  const separator = text.indexOf('=');
  const [name, value] = separator < 0 ? [text, ''] : [text.slice(0, separator).trim(), text.slice(separator + 1).trim()];
  if (name === 'user' && OWNER_PATTERN.test(value)) return { kind: 'user', owner: value };
  if (name === 'label' && value !== '' && value.length <= 100) return { kind: 'label', label: value };
  if (name === 'older-than' && PIPELINE_VERSION_PATTERN.test(value)) return { kind: 'older-than', version: value };
  throw new InvalidReprocessRequestError(`"where" must be ${WHERE_FORMS} (got ${JSON.stringify(where)})`);
}

/**
 * Checks the state machine's input: `{ version, where, maxConcurrency? }`.
 * @throws InvalidReprocessRequestError naming every problem.
 */
export function parseReprocessRequest(event: unknown): ReprocessRequest {
  const input = (typeof event === 'object' && event !== null ? event : {}) as Record<string, unknown>;
  const problems: string[] = [];
  const version = input.version;
  if (typeof version !== 'string' || !PIPELINE_VERSION_PATTERN.test(version))
    problems.push(`"version" must be a version name such as v2 (got ${JSON.stringify(version)})`);
  let selection: Selection | undefined;
  try {
    selection = parseWhere(input.where);
  } catch (error) {
    problems.push((error as Error).message);
  }
  const maxConcurrency = input.maxConcurrency ?? DEFAULT_MAX_CONCURRENCY;
  if (
    typeof maxConcurrency !== 'number' ||
    !Number.isInteger(maxConcurrency) ||
    maxConcurrency < 1 ||
    maxConcurrency > MAX_MAX_CONCURRENCY
  ) {
    problems.push(`"maxConcurrency" must be an integer from 1 to ${MAX_MAX_CONCURRENCY} (got ${JSON.stringify(input.maxConcurrency)})`);
  }
  if (problems.length > 0 || !selection) throw new InvalidReprocessRequestError(`Invalid reprocess request: ${problems.join('; ')}`);
  return { version: version as string, selection, maxConcurrency: maxConcurrency as number };
}

/** True when a stored result made by `stored` is older than `version` (by number). */
export function isOlderVersion(stored: string, version: string): boolean {
  return versionNumber(stored) < versionNumber(version);
}

/** Sort-key prefix of an image's reprocess claims (`IMAGE#<id>` / `REPROCESS#<version>`, one per target version). */
export const REPROCESS_CLAIM_SK_PREFIX = 'REPROCESS#';

/** Sort key of the claim a reprocess run holds on an image for one target version. */
export function reprocessClaimSk(version: string): string {
  return `${REPROCESS_CLAIM_SK_PREFIX}${version}`;
}

/**
 * What a pipeline run may take besides waiting for a moderation review (its transcodes, analyses and retries): the
 * budget of a reprocess child's RunPipeline before the review wait, which ReviewTimeoutSeconds adds to.
 */
export const PIPELINE_WORK_SECONDS = 7_500;

/**
 * How long a reprocess run's claim on an image keeps other runs of the same version away: as long as the pipeline run
 * it starts can live, i.e. PrepareImage's 30 s, the run's work and its longest review wait (the template's
 * ReviewTimeoutSeconds), plus 270 s of slack; tests/template checks it against both state machines. So a run waiting
 * days for a review keeps its image; the claim ends earlier when the run ends (its item written with an end status,
 * or ReleaseClaim after a failure).
 */
export function reprocessClaimSeconds(reviewTimeoutSeconds: number): number {
  return 30 + PIPELINE_WORK_SECONDS + reviewTimeoutSeconds + 270;
}
