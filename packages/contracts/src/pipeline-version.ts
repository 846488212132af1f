import { createHash } from 'node:crypto';
import { checkAnalysisConfig, type AnalysisConfig } from './analysis-config';
import { canonicalJson } from './canonical-json';
import { ERROR_NAMES, PipelineError } from './errors';
import { PIPELINE_VERSION_PATTERN } from './ids';
import { isObject } from './is-object';

/** What the flat (legacy) config form is, and what a result stored before versions existed was made by. */
export const LEGACY_PIPELINE_VERSION = 'v1';
/** ResizeImage's variant widths when neither the version nor the stack's VariantWidths name any. */
export const DEFAULT_VARIANT_WIDTHS: readonly number[] = Object.freeze([256, 1024, 2048]);

/** The widest variant: WebP's limit, the smaller of the two output formats'. */
export const MAX_VARIANT_WIDTH = 16_383;
/** Sort key of a version's item (`PK` = `VERSION#<name>`). */
export const VERSION_SK = 'VERSION';

/** The settings a version fixes: the analysis config (defaults filled in) and the variant widths. */
export interface PipelineVersionSettings {
  readonly analysis: AnalysisConfig;
  readonly variantWidths: readonly number[];
}

/** A named, immutable set of settings; `fingerprint` is SHA-256 of their canonical JSON. */
export interface PipelineVersion {
  readonly name: string;
  readonly settings: PipelineVersionSettings;
  readonly fingerprint: string;
}

/** The PipelineConfig parameter, parsed: every version it names and the one new uploads use. */
export interface PipelineConfig {
  readonly current: string;
  readonly versions: ReadonlyMap<string, PipelineVersion>;
}

/** `VERSION#<name>`: the partition of the item that pins a version's fingerprint. */
export function versionPk(name: string): string {
  return `VERSION#${name}`;
}

/** The number in a version name (`v12` -> 12); NaN for anything that is not a version name. */
export function versionNumber(name: string): number {
  return PIPELINE_VERSION_PATTERN.test(name) ? Number(name.slice(1)) : Number.NaN;
}

/** Config keys that only tune caching and near-duplicate reuse: they may change under a version's name. */
const KEYS_WITHOUT_MEANING: ReadonlySet<string> = new Set(['cacheSeconds', 'reuseNearDuplicates', 'nearDuplicateMaxDistance']);

/**
 * SHA-256 (hex) of the canonical JSON of the settings that decide what a run produces: the config keys that only
 * tune caching or near-duplicate reuse may change under a version.
 */
export function pipelineVersionFingerprint(settings: PipelineVersionSettings): string {
  const analysis = Object.fromEntries(Object.entries(settings.analysis).filter(([key]) => !KEYS_WITHOUT_MEANING.has(key)));
  return createHash('sha256')
    .update(canonicalJson({ analysis, variantWidths: settings.variantWidths }))
    .digest('hex');
}

function checkVariantWidths(value: unknown, where: string): { widths?: number[]; problem?: string } {
  const valid =
    Array.isArray(value) &&
    value.length > 0 &&
    value.length <= 10 &&
    value.every((width) => typeof width === 'number' && Number.isInteger(width) && width >= 1 && width <= MAX_VARIANT_WIDTH);
  if (!valid)
    return {
      problem: `${where}variantWidths must be a list of 1-10 integers from 1 to ${MAX_VARIANT_WIDTH} (got ${JSON.stringify(value)})`,
    };
  return { widths: [...new Set(value as number[])].sort((a, b) => a - b) };
}

function versionFrom(
  name: string,
  value: unknown,
  defaultWidths: readonly number[],
  where: string,
): { version?: PipelineVersion; problems: string[] } {
  if (!isObject(value)) return { problems: [`${where}must be a JSON object`] };
  const { variantWidths, ...analysisInput } = value;
  const problems: string[] = [];
  let widths = [...defaultWidths];
  if (variantWidths !== undefined) {
    const checked = checkVariantWidths(variantWidths, where);
    if (checked.problem) problems.push(checked.problem);
    else widths = checked.widths ?? widths;
  }
  const analysis = checkAnalysisConfig(analysisInput);
  if (analysis.problems) problems.push(...analysis.problems.map((problem) => `${where}${problem}`));
  if (problems.length > 0 || !analysis.config) return { problems };
  const settings: PipelineVersionSettings = Object.freeze({ analysis: analysis.config, variantWidths: Object.freeze(widths) });
  return { version: Object.freeze({ name, settings, fingerprint: pipelineVersionFingerprint(settings) }), problems };
}

/**
 * Reads the PipelineConfig JSON: the flat form (`{}` or analysis keys, optionally `variantWidths`) is the one version
 * `v1`; the versions form is `{"current":"v2","versions":{"v1":{...},"v2":{...}}}`. `defaultWidths` are the
 * variant widths a version that names none uses (the stack's VariantWidths).
 */
export function checkPipelineConfig(
  value: unknown,
  defaultWidths: readonly number[],
): { config: PipelineConfig; problems?: undefined } | { config?: undefined; problems: string[] } {
  if (!isObject(value)) return { problems: ['the config must be a JSON object'] };
  if (!('versions' in value) && !('current' in value)) {
    const legacy = versionFrom(LEGACY_PIPELINE_VERSION, value, defaultWidths, '');
    if (!legacy.version) return { problems: legacy.problems };
    return { config: { current: LEGACY_PIPELINE_VERSION, versions: new Map([[LEGACY_PIPELINE_VERSION, legacy.version]]) } };
  }
  const problems: string[] = [];
  const extra = Object.keys(value).filter((key) => key !== 'current' && key !== 'versions');
  if (extra.length > 0) problems.push(`${extra.join(', ')}: a versions config holds only "current" and "versions"`);
  const versions = new Map<string, PipelineVersion>();
  if (!isObject(value.versions) || Object.keys(value.versions).length === 0) {
    problems.push('versions must be an object with at least one version');
  } else {
    for (const [name, settings] of Object.entries(value.versions)) {
      if (!PIPELINE_VERSION_PATTERN.test(name)) {
        problems.push(`versions.${name}: a version name is "v" and a number (v1, v2, ...)`);
        continue;
      }
      const checked = versionFrom(name, settings, defaultWidths, `versions.${name}.`);
      if (checked.version) versions.set(name, checked.version);
      problems.push(...checked.problems);
    }
  }
  const current = value.current;
  if (typeof current !== 'string' || !(isObject(value.versions) && current in value.versions)) {
    problems.push(`current must name one of the versions (got ${JSON.stringify(current)})`);
  }
  if (problems.length > 0) return { problems };
  return { config: { current: current as string, versions } };
}

/** The requested version, or the current one when none is asked for; undefined when the config has no such version. */
export function pickPipelineVersion(config: PipelineConfig, requested?: string): PipelineVersion | undefined {
  return config.versions.get(requested ?? config.current);
}

/** The version a stored result was made by: items written before versions existed were made by `v1`. */
export function storedPipelineVersion(item: { pipelineVersion?: unknown }): string {
  return typeof item.pipelineVersion === 'string' ? item.pipelineVersion : LEGACY_PIPELINE_VERSION;
}

/** True when two versions write the same variants, so one's resize outputs serve the other. */
export function sameVariants(a: PipelineVersion, b: PipelineVersion): boolean {
  return canonicalJson(a.settings.variantWidths) === canonicalJson(b.settings.variantWidths);
}

/** A run or a reprocess request names a version the config does not hold. */
export class UnknownPipelineVersionError extends PipelineError {
  public override readonly name = ERROR_NAMES.unknownPipelineVersion;

  public constructor(requested: string, known: readonly string[]) {
    super(`Pipeline version ${JSON.stringify(requested)} is not in the config (it holds ${known.join(', ') || 'none'})`);
  }
}

/** The config gives a version other settings than the ones it first ran with: a new version must be added instead. */
export class PipelineVersionChangedError extends PipelineError {
  public override readonly name = ERROR_NAMES.pipelineVersionChanged;

  public constructor(name: string, pinned: string, configured: string) {
    super(
      `Pipeline version ${name} first ran with settings ${pinned.slice(0, 12)}, the config now gives it ${configured.slice(0, 12)}; ` +
        `versions are immutable: add a new version (e.g. "v${versionNumber(name) + 1}") and make it current`,
    );
  }
}

/**
 * The version a run uses: the requested one, or the config's current one.
 * @throws UnknownPipelineVersionError when the config holds no such version.
 */
export function requirePipelineVersion(config: PipelineConfig, requested?: string): PipelineVersion {
  const version = pickPipelineVersion(config, requested);
  if (!version) throw new UnknownPipelineVersionError(requested ?? config.current, [...config.versions.keys()]);
  return version;
}
