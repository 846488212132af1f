import { detectFaces } from './detect-faces';
import { detectLabels } from './detect-labels';
import { detectModerationLabels } from './detect-moderation-labels';
import { detectText } from './detect-text';
import type { AnyDetector } from './detector';

/**
 * The registry: every Rekognition call the analysis step can make, in the order `calls` lists them. Calls that
 * run `always` start together; the others are decided once DetectLabels has answered, then start together.
 * CONTRIBUTING.md "Add a detector" says what else a new entry needs (IAM action, local mapping, a test).
 */
export const DETECTORS: readonly AnyDetector[] = Object.freeze([detectLabels, detectModerationLabels, detectFaces, detectText]);

/** The detector whose labels decide the optional calls. */
export const LABELS_DETECTOR: AnyDetector = detectLabels;

export type { AnyDetector, CallDecision, Detector, RunsWhen } from './detector';
