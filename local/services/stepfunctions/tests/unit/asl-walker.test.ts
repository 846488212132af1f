import { eachState, isTerminal, transitionsOf, type AslDefinition } from '../../asl-walker';

const definition: AslDefinition = {
  StartAt: 'Fan',
  States: {
    Fan: {
      Type: 'Parallel',
      Branches: [{ StartAt: 'Left', States: { Left: { Type: 'Task', End: true } } }],
      Next: 'Each',
      Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Failed' }],
    },
    Each: { Type: 'Map', ItemProcessor: { StartAt: 'Item', States: { Item: { Type: 'Task', End: true } } }, Next: 'Legacy' },
    Legacy: { Type: 'Map', Iterator: { StartAt: 'Old', States: { Old: { Type: 'Pass', End: true } } }, Next: 'Pick' },
    Pick: { Type: 'Choice', Choices: [{ Variable: '$.ok', BooleanEquals: true, Next: 'Done' }], Default: 'Failed' },
    Done: { Type: 'Succeed' },
    Failed: { Type: 'Fail' },
  },
};

describe('eachState', () => {
  it('visits nested Parallel branches and Map processors right after the state that holds them', () => {
    expect([...eachState(definition)].map(([name]) => name)).toEqual([
      'Fan',
      'Left',
      'Each',
      'Item',
      'Legacy',
      'Old',
      'Pick',
      'Done',
      'Failed',
    ]);
  });

  it('stays at the top level when asked to', () => {
    expect([...eachState(definition, { nested: false })].map(([name]) => name)).toEqual([
      'Fan',
      'Each',
      'Legacy',
      'Pick',
      'Done',
      'Failed',
    ]);
  });

  it("hands out the definition's own state objects, so a copy can be rewritten in place", () => {
    // Prepare
    const copy = JSON.parse(JSON.stringify(definition)) as AslDefinition;

    // Act
    for (const [, state] of eachState(copy)) if (state.Type === 'Task') state.Resource = 'arn:aws:states:::lambda:invoke';

    // Assess
    expect(copy.States.Fan.Branches?.[0].States.Left.Resource).toBe('arn:aws:states:::lambda:invoke');
    expect(definition.States.Fan.Branches?.[0].States.Left.Resource).toBeUndefined();
  });
});

describe('transitionsOf', () => {
  it('lists Next, each Choice rule, Default and each Catch in that order', () => {
    expect(transitionsOf(definition.States.Fan)).toEqual([
      { to: 'Each', kind: 'next' },
      { to: 'Failed', kind: 'catch', errorEquals: ['States.ALL'] },
    ]);
    expect(transitionsOf(definition.States.Pick)).toEqual([
      { to: 'Done', kind: 'choice', rule: { Variable: '$.ok', BooleanEquals: true, Next: 'Done' } },
      { to: 'Failed', kind: 'default' },
    ]);
  });

  it('knows where a run ends', () => {
    expect(['Done', 'Failed', 'Pick'].map((name) => isTerminal(definition.States[name]))).toEqual([true, true, false]);
    expect(isTerminal(definition.States.Fan.Branches![0].States.Left)).toBe(true);
  });
});
