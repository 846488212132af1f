import { InvalidConfigError } from './errors';
import type { AnalysisConfig, DetectSwitch } from './types';

/** The contract's defaults (docs/contracts.md, "SSM config parameter"); every key is optional. */
export const DEFAULT_ANALYSIS_CONFIG: AnalysisConfig = Object.freeze({
  minLabelConfidence: 70,
  maxLabels: 25,
  minModerationConfidence: 60,
  detectFaces: 'auto',
  detectText: 'auto',
  faceTriggerLabels: Object.freeze(['Person', 'Human', 'Face', 'Portrait']),
  textTriggerLabels: Object.freeze(['Text', 'Document', 'Poster', 'Sign', 'Book', 'Menu', 'Label', 'Page']),
  minTriggerConfidence: 50,
  cacheSeconds: 60,
});

type Check = (value: unknown) => string | undefined;

const number =
  (min: number, max: number, integer = false): Check =>
  (value) =>
    typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max && (!integer || Number.isInteger(value))
      ? undefined
      : `must be ${integer ? 'an integer' : 'a number'} from ${min} to ${max}`;

const detectSwitch: Check = (value) =>
  value === 'auto' || value === 'always' || value === 'never' ? undefined : 'must be "auto", "always" or "never"';

const labelList: Check = (value) =>
  Array.isArray(value) && value.length <= 100 && value.every((item) => typeof item === 'string' && item.trim() !== '')
    ? undefined
    : 'must be a list of at most 100 non-empty label names';

const CHECKS: Record<keyof AnalysisConfig, Check> = {
  minLabelConfidence: number(0, 100),
  maxLabels: number(1, 1000, true),
  minModerationConfidence: number(0, 100),
  detectFaces: detectSwitch,
  detectText: detectSwitch,
  faceTriggerLabels: labelList,
  textTriggerLabels: labelList,
  minTriggerConfidence: number(0, 100),
  cacheSeconds: number(0, 3600, true),
};

/**
 * Parses and validates the SSM config JSON, filling in defaults for absent keys. Unknown keys are
 * refused too, so a typo such as "detectface" fails loudly instead of silently keeping the default.
 * @throws InvalidConfigError listing every problem found.
 */
export function parseAnalysisConfig(raw: string | undefined, source: string): AnalysisConfig {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw ?? '');
  } catch (error) {
    throw new InvalidConfigError(`Config in ${source} is not JSON: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new InvalidConfigError(`Config in ${source} must be a JSON object`);
  }
  const problems: string[] = [];
  for (const [key, value] of Object.entries(parsed)) {
    const problem = Object.hasOwn(CHECKS, key) ? CHECKS[key as keyof AnalysisConfig](value) : 'is not a known key';
    if (problem) problems.push(`${key} ${problem} (got ${JSON.stringify(value)})`);
  }
  if (problems.length > 0) {
    throw new InvalidConfigError(`Invalid config in ${source}: ${problems.join('; ')}`);
  }
  const merged = { ...DEFAULT_ANALYSIS_CONFIG, ...(parsed as Partial<AnalysisConfig>) };
  return Object.freeze({
    ...merged,
    detectFaces: merged.detectFaces as DetectSwitch,
    detectText: merged.detectText as DetectSwitch,
    faceTriggerLabels: Object.freeze([...merged.faceTriggerLabels]),
    textTriggerLabels: Object.freeze([...merged.textTriggerLabels]),
  });
}
