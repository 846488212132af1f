// A namespace import lets esbuild drop what is unused (zod's locales alone are ~350 KB minified).
import * as z from 'zod';
import { isObject } from './is-object';
import { pathText } from './validation';

/** How an optional Rekognition call is switched: only when a trigger label is present, on every image, or never. */
export const DETECT_SWITCHES = ['auto', 'always', 'never'] as const;
export type DetectSwitch = (typeof DETECT_SWITCHES)[number];

const got = (input: unknown): string => `(got ${String(JSON.stringify(input)).slice(0, 100)})`;

function bounded(min: number, max: number, integer = false) {
  const what = integer ? 'an integer' : 'a number';
  return z.custom<number>(
    (value) => typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max && (!integer || Number.isInteger(value)),
    { error: (issue) => `must be ${what} from ${min} to ${max} ${got(issue.input)}` },
  );
}

const detectSwitch = z.custom<DetectSwitch>((value) => (DETECT_SWITCHES as readonly unknown[]).includes(value), {
  error: (issue) => `must be "auto", "always" or "never" ${got(issue.input)}`,
});

const labelList = z.custom<readonly string[]>(
  (value) => Array.isArray(value) && value.length <= 100 && value.every((item) => typeof item === 'string' && item.trim() !== ''),
  { error: (issue) => `must be a list of at most 100 non-empty label names ${got(issue.input)}` },
);

/**
 * The analysis thresholds and switches (the SSM parameter's JSON) with the ONE set of defaults: every key is
 * optional, and the template's PipelineConfig default and samconfig.toml's [local] override state only what
 * differs from these. Unknown keys are refused, so a typo such as "detectface" fails instead of keeping a default.
 */
export const analysisConfigSchema = z.strictObject({
  minLabelConfidence: bounded(0, 100).default(70),
  maxLabels: bounded(1, 1000, true).default(25),
  minModerationConfidence: bounded(0, 100).default(60),
  /**
   * An image with a moderation label at or above this confidence is QUARANTINED until an admin reviews it (its
   * variants are never served meanwhile); 101 turns quarantine off. Labels from minModerationConfidence up to this
   * are still recorded and announced (Image Flagged), but the image is served.
   */
  quarantineMinConfidence: bounded(0, 101).default(80),
  /**
   * Ask DetectLabels for IMAGE_PROPERTIES (billed as "Image Properties", $0.75 per 1,000 at the first tier) instead of
   * the dominant colours and quality ResizeImage computes with sharp for free.
   */
  rekognitionImageProperties: z.boolean({ error: (issue) => `must be true or false ${got(issue.input)}` }).default(false),
  /**
   * DetectModerationLabels: "auto" only when a label (name, alias or parent) is one of moderationTriggerLabels,
   * i.e. people, bodies, skin-revealing clothing, art and weapons; "always" on every image; "never".
   */
  detectModeration: detectSwitch.default('auto'),
  detectFaces: detectSwitch.default('auto'),
  detectText: detectSwitch.default('auto'),
  faceTriggerLabels: labelList.default(['Person', 'Human', 'Face', 'Portrait']),
  textTriggerLabels: labelList.default(['Text', 'Document', 'Poster', 'Sign', 'Book', 'Menu', 'Label', 'Page']),
  moderationTriggerLabels: labelList.default([
    'Person',
    'Human',
    'Body Part',
    'Skin',
    'Swimwear',
    'Underwear',
    'Lingerie',
    'Bikini',
    'Bra',
    'Nudity',
    'Tattoo',
    'Art',
    'Painting',
    'Drawing',
    'Sculpture',
    'Weapon',
    'Gun',
    'Knife',
    'Blood',
  ]),
  minTriggerConfidence: bounded(0, 100).default(50),
  /**
   * Reuse the analysis of an image already analysed (same owner) whose perceptual hash is within
   * `nearDuplicateMaxDistance` bits and whose analysis ran with the same settings, instead of calling Rekognition.
   */
  reuseNearDuplicates: z.boolean({ error: (issue) => `must be true or false ${got(issue.input)}` }).default(true),
  /** Hamming distance (bits of the 64-bit dHash); the four 16-bit hash bands find every hash within 3. */
  nearDuplicateMaxDistance: bounded(0, 3, true).default(2),
  cacheSeconds: bounded(0, 3600, true).default(60),
  /**
   * Faces -> people (biometric data, so off unless switched on): each face the analysis finds is indexed in the
   * stack's Rekognition face collection (a face vector; ExternalImageId = imageId) and grouped with the same owner's
   * matching faces into a person. README "People (face grouping)" says what is stored and how to delete it.
   */
  groupFacesIntoPeople: z.boolean({ error: (issue) => `must be true or false ${got(issue.input)}` }).default(false),
  /**
   * SearchFaces' FaceMatchThreshold (similarity 0-100) at or above which a new face joins an existing person of the
   * same owner. Rekognition's own default is 80; 90 trades a few split people for fewer wrong merges.
   */
  personMatchThreshold: bounded(0, 100).default(90),
});

export type AnalysisConfig = Readonly<z.output<typeof analysisConfigSchema>>;

function freeze(config: z.output<typeof analysisConfigSchema>): AnalysisConfig {
  return Object.freeze({
    ...config,
    faceTriggerLabels: Object.freeze([...config.faceTriggerLabels]),
    textTriggerLabels: Object.freeze([...config.textTriggerLabels]),
    moderationTriggerLabels: Object.freeze([...config.moderationTriggerLabels]),
  });
}

/** The defaults: what an empty config (`{}`) means. */
export const DEFAULT_ANALYSIS_CONFIG: AnalysisConfig = freeze(analysisConfigSchema.parse({}));

/**
 * Checks a config object and fills in the defaults; `problems` names every bad or unknown key with its value.
 */
export function checkAnalysisConfig(
  value: unknown,
): { config: AnalysisConfig; problems?: undefined } | { config?: undefined; problems: string[] } {
  if (!isObject(value)) return { problems: ['the config must be a JSON object'] };
  const result = analysisConfigSchema.safeParse(value);
  if (result.success) return { config: freeze(result.data) };
  const problems = result.error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => `${key} is not a known key ${got(value[key])}`)
      : [`${pathText(issue.path)} ${issue.message}`],
  );
  return { problems };
}

/** Bumped when the analysis step changes what it produces for the same settings, so older analyses are not reused. */
export const ANALYSIS_PIPELINE_VERSION = 1;

/**
 * Config keys that do not change the part of an analysis that can be reused: caching, the reuse switches themselves,
 * and people grouping (the `people` section is never copied from a near-duplicate: each image indexes its own faces).
 * quarantineMinConfidence decides what happens to an analysis (see moderation.ts), not what it contains.
 */
const KEYS_WITHOUT_EFFECT: ReadonlySet<string> = new Set([
  'cacheSeconds',
  'reuseNearDuplicates',
  'nearDuplicateMaxDistance',
  'quarantineMinConfidence',
  'groupFacesIntoPeople',
  'personMatchThreshold',
]);

/**
 * A short fingerprint (16 hex, FNV-1a 64-bit) of everything that decides what an analysis contains: the pipeline
 * version and every config key that changes a result, in a fixed order. Two images analysed with the same
 * fingerprint may share an analysis; a changed threshold, switch or trigger list gives another fingerprint.
 */
export function analysisSettingsKey(config: AnalysisConfig): string {
  const relevant = Object.keys(config)
    .filter((key) => !KEYS_WITHOUT_EFFECT.has(key))
    .sort()
    .map((key) => [key, config[key as keyof AnalysisConfig]]);
  const text = JSON.stringify([ANALYSIS_PIPELINE_VERSION, relevant]);
  let hash = 0xcbf29ce484222325n;
  for (const byte of new TextEncoder().encode(text)) hash = BigInt.asUintN(64, (hash ^ BigInt(byte)) * 0x100000001b3n);
  return hash.toString(16).padStart(16, '0');
}
