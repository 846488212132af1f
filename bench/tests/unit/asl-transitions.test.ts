import { readFileSync } from 'node:fs';
import type { AslDefinition } from '../../../local/services/stepfunctions/asl-walker';
import { AslWalkError, walkExecution } from '../../cost/asl-transitions';
import { happyPathFacts } from '../../cost/gather';
import { repoPath } from '../../lib/paths';

const pipeline = JSON.parse(readFileSync(repoPath('statemachine', 'image-pipeline.asl.json'), 'utf8')) as AslDefinition;

describe('walkExecution', () => {
  it('follows the Choice rule that matches the facts, else the Default', () => {
    // Prepare
    const asl: AslDefinition = {
      StartAt: 'A',
      States: {
        A: { Type: 'Choice', Choices: [{ Variable: '$.ok', BooleanEquals: true, Next: 'B' }], Default: 'C' },
        B: { Type: 'Pass', Next: 'D' },
        C: { Type: 'Pass', Next: 'D' },
        D: { Type: 'Succeed' },
      },
    };

    // Act & Assess
    expect(walkExecution(asl, { '$.ok': true })).toEqual(['A', 'B', 'D']);
    expect(walkExecution(asl, {})).toEqual(['A', 'C', 'D']);
  });

  it('evaluates And, IsString and StringEquals together', () => {
    // Prepare
    const asl: AslDefinition = {
      StartAt: 'A',
      States: {
        A: {
          Type: 'Choice',
          Choices: [
            {
              And: [
                { Variable: '$.on', StringEquals: 'true' },
                { Variable: '$.to', IsString: true },
              ],
              Next: 'B',
            },
          ],
          Default: 'C',
        },
        B: { Type: 'Succeed' },
        C: { Type: 'Succeed' },
      },
    };

    // Act & Assess
    expect(walkExecution(asl, { '$.on': 'true', '$.to': 'x@y' })).toEqual(['A', 'B']);
    expect(walkExecution(asl, { '$.on': 'true', '$.to': null })).toEqual(['A', 'C']);
  });

  it('reports a loop instead of walking forever', () => {
    // Prepare
    const asl: AslDefinition = { StartAt: 'A', States: { A: { Type: 'Pass', Next: 'B' }, B: { Type: 'Pass', Next: 'A' } } };

    // Act & Assess
    expect(() => walkExecution(asl, {})).toThrow(AslWalkError);
  });

  it('walks a successful run through analysis and the publishing of Image Processed, with no e-mail state', () => {
    // Act
    const run = walkExecution(pipeline, happyPathFacts());

    // Assess
    expect(run[0]).toBe(pipeline.StartAt);
    expect(run).toContain('AnalyseImage');
    expect(run).not.toContain('RecordFailure');
    // The run publishes the event with an events:putEvents Task; telling the owner is a rule's job, not a state's.
    expect(run.some((name) => String(pipeline.States[name].Resource ?? '').endsWith(':states:::events:putEvents'))).toBe(true);
    expect(run.some((name) => /ses|sns/.test(String(pipeline.States[name].Resource ?? '')))).toBe(false);
    // The run ends in the publishing Task itself (`End`), so no Succeed state is billed after it.
    expect(pipeline.States[run[run.length - 1]]).toMatchObject({
      Resource: expect.stringMatching(/:states:::events:putEvents$/),
      End: true,
    });
  });

  it('walks no publishing state when StoreMetadata returned no event (a newer revision holds the item)', () => {
    // Act
    const run = walkExecution(pipeline, { ...happyPathFacts(), '$.stored.events.processed': undefined });

    // Assess
    expect(run.some((name) => String(pipeline.States[name].Resource ?? '').endsWith(':states:::events:putEvents'))).toBe(false);
    expect(run.slice(-2)).toEqual(['CheckEvents', 'Succeed']);
  });
});
