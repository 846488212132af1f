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
        A: { Type: 'Choice', Choices: [{ And: [{ Variable: '$.on', StringEquals: 'true' }, { Variable: '$.to', IsString: true }], Next: 'B' }], Default: 'C' },
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

  it('counts more transitions on the pipeline when an e-mail is sent', () => {
    // Act
    const without = walkExecution(pipeline, happyPathFacts(false));
    const withEmail = walkExecution(pipeline, happyPathFacts(true));

    // Assess
    expect(without[0]).toBe(pipeline.StartAt);
    expect(without).toContain('AnalyseImage');
    expect(without).not.toContain('RecordFailure');
    // The e-mail path may grow (e.g. a Pass state composing the message); only its direction is fixed.
    expect(withEmail.some((name) => pipeline.States[name].Type === 'Task' && !without.includes(name))).toBe(true);
    expect(withEmail.length).toBeGreaterThan(without.length);
    expect(['Succeed', 'Fail']).toContain(pipeline.States[without[without.length - 1]].Type);
  });
});
