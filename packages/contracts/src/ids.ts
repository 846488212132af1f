/**
 * The id formats of docs/contracts.md "Identity". Browser-safe: the hashing that derives the ids is in identity.ts.
 */

/** imageId: the first 128 bits of SHA-256 of "<bucket>/<decoded key>", 32 lower-case hex. */
export const IMAGE_ID_PATTERN = /^[0-9a-f]{32}$/;
/** revision: the first 64 bits of SHA-256 of "<bucket>/<key>#<versionId or sequencer>", 16 lower-case hex. */
export const REVISION_PATTERN = /^[0-9a-f]{16}$/;
/** An S3 event's sequencer: 1-32 hex digits (S3 sends upper case; compare case-insensitively). */
export const SEQUENCER_PATTERN = /^[0-9A-Fa-f]{1,32}$/;
/** sourceOrder: the sequencer left-padded to 32 hex digits. */
export const SOURCE_ORDER_PATTERN = /^[0-9A-Fa-f]{32}$/;
/** A 64-bit perceptual hash (dHash) as 16 hex digits. */
export const PERCEPTUAL_HASH_PATTERN = /^[0-9A-Fa-f]{16}$/;
/** A pipeline execution name, `img-<imageId>-<revision>`, possibly followed by a suffix (a console re-run). */
export const EXECUTION_NAME_PREFIX_PATTERN = /^img-([0-9a-f]{32})-([0-9a-f]{16})/;

/** A pipeline version name: `v` and a positive integer (`v1`, `v2`, ...), so versions order by number. */
export const PIPELINE_VERSION_PATTERN = /^v[1-9][0-9]{0,5}$/;

/** True when the value has the shape of an imageId. */
export function isImageId(value: unknown): value is string {
  return typeof value === 'string' && IMAGE_ID_PATTERN.test(value);
}

/** Returns the execution name `img-<imageId>-<revision>` (53 characters of [0-9a-z-], inside Step Functions' 80). */
export function executionNameFor(imageId: string, revision: string): string {
  return `img-${imageId}-${revision}`;
}

/** The ARN of an execution of a state machine: `arn:…:stateMachine:<sm>` becomes `arn:…:execution:<sm>:<name>`. */
export function executionArnFor(stateMachineArn: string, name: string): string {
  return `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
}

/** The imageId and revision at the start of a pipeline execution name; undefined for any other name. */
export function parseExecutionName(name: string): { imageId: string; revision: string } | undefined {
  const match = EXECUTION_NAME_PREFIX_PATTERN.exec(name);
  return match ? { imageId: match[1], revision: match[2] } : undefined;
}

/**
 * Returns the S3 sequencer left-padded with 0 to 32 upper-case hex digits, so later uploads of
 * the same key compare greater as plain strings.
 * @throws RangeError when the sequencer is not 1-32 hex digits.
 */
export function sourceOrderFor(sequencer: string): string {
  if (!SEQUENCER_PATTERN.test(sequencer)) throw new RangeError(`Not a sequencer: ${JSON.stringify(sequencer)}`);
  return sequencer.toUpperCase().padStart(32, '0');
}

/**
 * What a failure that happened before any version was resolved (ResolveVersion itself failed) and that no version was
 * asked for records as its `pipelineVersion`: it ran under no version, so a filter for `v1` (or the current one) must not
 * find it; `?version=unresolved` does. A run that asked for a version records that one instead (`requestedPipelineVersion`).
 */
export const UNRESOLVED_PIPELINE_VERSION = 'unresolved';

/** The version an execution input asks for (`pipelineVersion`, set by the reprocessor), when it is a version name. */
export function requestedPipelineVersion(executionInput: unknown): string | undefined {
  const requested =
    typeof executionInput === 'object' && executionInput !== null
      ? (executionInput as { pipelineVersion?: unknown }).pipelineVersion
      : undefined;
  return typeof requested === 'string' && PIPELINE_VERSION_PATTERN.test(requested) ? requested : undefined;
}
