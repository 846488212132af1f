import type { Label } from '@aws-sdk/client-rekognition';
import { DEFAULT_ANALYSIS_CONFIG } from '../../src/analysis-config';
import type { AnalysisConfig } from '@smart-image-pipeline/contracts';
import { DETECTORS } from '../../src/detectors';
import { decideCall, labelRequestMinConfidence } from '../../src/detectors/trigger-labels';
import { responses } from './fixtures';

const PERSON_TRIGGERS = DEFAULT_ANALYSIS_CONFIG.faceTriggerLabels;

describe('decideCall', () => {
  it('skips the call when no label is a trigger', () => {
    // Prepare
    const labels = responses.labelsLandscape().Labels ?? [];

    // Act
    const decision = decideCall('auto', PERSON_TRIGGERS, labels, 50, 'person');

    // Assess
    expect(decision).toEqual({ run: false, reason: 'no person-like label' });
  });

  it('runs the call when a trigger label reaches the trigger confidence', () => {
    // Prepare
    const labels: Label[] = [{ Name: 'Person', Confidence: 50 }];

    // Act
    const decision = decideCall('auto', PERSON_TRIGGERS, labels, 50, 'person');

    // Assess
    expect(decision).toEqual({ run: true, because: 'Person 50.0' });
  });

  it('skips the call when the trigger label is just under the trigger confidence', () => {
    // Prepare
    const labels: Label[] = [{ Name: 'Person', Confidence: 49.9 }];

    // Act
    const decision = decideCall('auto', PERSON_TRIGGERS, labels, 50, 'person');

    // Assess
    expect(decision.run).toBe(false);
  });

  it('counts a trigger that appears as a parent or an alias of another label', () => {
    // Prepare
    const child: Label[] = [{ Name: 'Woman', Confidence: 91, Parents: [{ Name: 'Adult' }, { Name: 'Person' }] }];
    const aliased: Label[] = [{ Name: 'Somebody', Confidence: 91, Aliases: [{ Name: 'Human' }] }];

    // Act
    const byParent = decideCall('auto', PERSON_TRIGGERS, child, 50, 'person');
    const byAlias = decideCall('auto', PERSON_TRIGGERS, aliased, 50, 'person');

    // Assess
    expect(byParent).toEqual({ run: true, because: 'Woman 91.0' });
    expect(byAlias).toEqual({ run: true, because: 'Somebody 91.0' });
  });

  it('matches trigger names without regard to case', () => {
    // Act
    const decision = decideCall('auto', ['poster'], [{ Name: 'Poster', Confidence: 80 }], 50, 'text');

    // Assess
    expect(decision.run).toBe(true);
  });

  it('runs the call with "always" even when there are no labels', () => {
    // Act
    const decision = decideCall('always', PERSON_TRIGGERS, [], 50, 'person');

    // Assess
    expect(decision).toEqual({ run: true, because: 'enabled by config' });
  });

  it('skips the call with "never" even when a trigger label is certain', () => {
    // Act
    const decision = decideCall('never', PERSON_TRIGGERS, [{ Name: 'Person', Confidence: 100 }], 50, 'person');

    // Assess
    expect(decision).toEqual({ run: false, reason: 'disabled by config' });
  });
});

/** What each optional detector of the registry decides for these labels. */
function planOptionalCalls(labels: Label[], config: AnalysisConfig) {
  return Object.fromEntries(
    DETECTORS.flatMap((detector) => (detector.runs.kind === 'afterLabels' ? [[detector.name, detector.runs.decide(labels, config)]] : [])),
  );
}

describe('the optional detectors of the registry', () => {
  it('plans DetectFaces and DetectText for a person next to a Text label', () => {
    // Act
    const plan = planOptionalCalls(responses.labelsPerson().Labels ?? [], DEFAULT_ANALYSIS_CONFIG);

    // Assess
    expect(plan).toMatchObject({
      DetectFaces: { run: true, because: 'Person 99.4' },
      DetectText: { run: true, because: 'Text 74.6' },
    });
  });

  it('plans neither optional call for a landscape', () => {
    // Act
    const plan = planOptionalCalls(responses.labelsLandscape().Labels ?? [], DEFAULT_ANALYSIS_CONFIG);

    // Assess
    expect(plan).toMatchObject({
      DetectFaces: { run: false, reason: 'no person-like label' },
      DetectText: { run: false, reason: 'no text-like label' },
    });
  });
});

describe('labelRequestMinConfidence', () => {
  it('asks DetectLabels for labels down to the trigger confidence when that is lower', () => {
    // Act
    const minConfidence = labelRequestMinConfidence({ ...DEFAULT_ANALYSIS_CONFIG, minLabelConfidence: 70, minTriggerConfidence: 50 });

    // Assess
    expect(minConfidence).toBe(50);
  });

  it('asks DetectLabels for labels down to the label confidence when that is lower', () => {
    // Act
    const minConfidence = labelRequestMinConfidence({ ...DEFAULT_ANALYSIS_CONFIG, minLabelConfidence: 40, minTriggerConfidence: 50 });

    // Assess
    expect(minConfidence).toBe(40);
  });
});
