import { mkdtempSync, readFileSync, writeFileSync, copyFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventPatternProblems, matchesEventPattern } from '../../local/services/events/event-pattern';
import { loadLocalApp } from '../../local/template';
import { loadTemplate, readRepoFile, repoRoot, resourcesOfType } from './support/template';

const example = (name: string): any => JSON.parse(readRepoFile(`packages/contracts/event-schemas/examples/${name}.json`));
const rules = resourcesOfType(loadTemplate(), 'AWS::Events::Rule');

describe('event rules', () => {
  it.each(Object.keys(rules))('%s has a pattern EventBridge accepts, on the stack bus', (ruleId) => {
    // Act
    const { EventPattern, EventBusName } = rules[ruleId].Properties!;

    // Assess
    expect(eventPatternProblems(EventPattern)).toEqual([]);
    expect(EventBusName).toEqual({ Ref: 'EventBus' });
  });

  it.each([
    ['image-processed', true],
    ['image-failed', true],
    ['image-flagged', false],
  ])('NotifyOwnerRule takes %s: %s', (name, expected) => {
    expect(matchesEventPattern(rules.NotifyOwnerRule.Properties!.EventPattern, example(name))).toBe(expected);
  });

  it('never sends the notifier an unowned image or another detail version', () => {
    // Prepare
    const unowned = example('image-processed');
    unowned.detail.owner = 'unowned';
    const nextVersion = example('image-processed');
    nextVersion.detail.schemaVersion = 2;

    // Act and assess
    expect(matchesEventPattern(rules.NotifyOwnerRule.Properties!.EventPattern, unowned)).toBe(false);
    expect(matchesEventPattern(rules.NotifyOwnerRule.Properties!.EventPattern, nextVersion)).toBe(false);
  });

  it('prunes superseded revisions after Image Processed and Image Failed, owned or not, through a permission scoped to the rule', () => {
    // Prepare
    const pattern = rules.PruneSupersededRule.Properties!.EventPattern;
    const unowned = example('image-failed');
    unowned.detail.owner = 'unowned';
    const permission = loadTemplate().Resources.CleanUpImageEventsPermission.Properties!;

    // Act and assess
    expect(
      [example('image-processed'), example('image-failed'), unowned, example('image-flagged')].map((event) =>
        matchesEventPattern(pattern, event),
      ),
    ).toEqual([true, true, true, false]);
    expect(rules.PruneSupersededRule.Properties!.Targets[0].Arn).toEqual({ 'Fn::GetAtt': ['CleanUpImageFunction', 'Arn'] });
    expect(permission).toMatchObject({ Principal: 'events.amazonaws.com', SourceArn: { 'Fn::GetAtt': ['PruneSupersededRule', 'Arn'] } });
  });

  it('sends the notification rule to its queue with a DLQ for what it cannot deliver', () => {
    // Act
    const [target] = rules.NotifyOwnerRule.Properties!.Targets;

    // Assess
    expect(target).toMatchObject({
      Arn: { 'Fn::GetAtt': ['NotificationQueue', 'Arn'] },
      DeadLetterConfig: { Arn: { 'Fn::GetAtt': ['NotificationDeadLetterQueue', 'Arn'] } },
    });
  });

  it('refuses, at start, a template whose rule pattern EventBridge would refuse, saying why', () => {
    // Prepare
    const root = mkdtempSync(join(tmpdir(), 'bad-rule-'));
    const text = readFileSync(join(repoRoot, 'template.yaml'), 'utf8').replace(
      'owner: [{anything-but: unowned}]',
      'owner: [{anything-but: [unowned, 3]}]',
    );
    writeFileSync(join(root, 'template.yaml'), text);
    copyFileSync(join(repoRoot, 'samconfig.toml'), join(root, 'samconfig.toml'));
    mkdirSync(join(root, 'statemachine'));
    copyFileSync(join(repoRoot, 'statemachine', 'image-pipeline.asl.json'), join(root, 'statemachine', 'image-pipeline.asl.json'));

    // Act
    const load = () => loadLocalApp({ rootDir: root });

    // Assess
    expect(load).toThrow('NotifyOwnerRule: EventPattern is not valid: detail.owner[0].anything-but must list only strings or only numbers');
  });
});
