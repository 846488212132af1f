import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type {
  DetectFacesResponse,
  DetectLabelsResponse,
  DetectModerationLabelsResponse,
  DetectTextResponse,
} from '@aws-sdk/client-rekognition';
import type { AnalyseImageInput } from '../../src/types';

const FIXTURES = join(__dirname, '..', 'fixtures');
const EVENTS = join(__dirname, '..', '..', '..', '..', 'events', 'rekognition-labels');

const readJson = (path: string): unknown => JSON.parse(readFileSync(path, 'utf8'));

/** Hand-written Rekognition responses in the API's exact shapes (tests/fixtures). */
export const responses = {
  labelsPerson: () => readJson(join(FIXTURES, 'detect-labels-person.json')) as DetectLabelsResponse,
  labelsLandscape: () => readJson(join(FIXTURES, 'detect-labels-landscape.json')) as DetectLabelsResponse,
  moderationPerson: () => readJson(join(FIXTURES, 'detect-moderation-labels-person.json')) as DetectModerationLabelsResponse,
  moderationLandscape: () => readJson(join(FIXTURES, 'detect-moderation-labels-landscape.json')) as DetectModerationLabelsResponse,
  faces: () => readJson(join(FIXTURES, 'detect-faces.json')) as DetectFacesResponse,
  text: () => readJson(join(FIXTURES, 'detect-text.json')) as DetectTextResponse,
};

/** Reads one fixture file as raw text, for wire-level tests. */
export const fixtureText = (file: string): string => readFileSync(join(FIXTURES, file), 'utf8');

/** The canonical step inputs in events/rekognition-labels. */
export const events = {
  person: () => readJson(join(EVENTS, 'analyse-person.json')) as AnalyseImageInput,
  landscape: () => readJson(join(EVENTS, 'analyse-landscape.json')) as AnalyseImageInput,
};
