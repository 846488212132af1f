import { EnvironmentReader } from '@smart-image-pipeline/contracts';
import { asArray, inlineStatements, loadTemplate, readRepoFile, resourcesOfType, Template } from './support/template';

/**
 * Resources whose names are unique per account, not per region (CloudFront is global; CloudWatch dashboards are
 * global; budget names are unique within an account), where a name is set, and its length limit: origin access
 * control and CloudFront Function names 64 (CreateOriginAccessControl, CreateFunction), dashboard names 255
 * (AWS::CloudWatch::Dashboard), budget names 100 (Budgets API). The response headers policy is held to 64 as well.
 */
const ACCOUNT_WIDE_NAMES: Record<string, { name: (properties: Record<string, any>) => unknown; limit: number }> = {
  'AWS::CloudFront::OriginAccessControl': { name: (p) => p.OriginAccessControlConfig.Name, limit: 64 },
  'AWS::CloudFront::ResponseHeadersPolicy': { name: (p) => p.ResponseHeadersPolicyConfig.Name, limit: 64 },
  'AWS::CloudFront::Function': { name: (p) => p.Name, limit: 64 },
  'AWS::CloudWatch::Dashboard': { name: (p) => p.DashboardName, limit: 255 },
  'AWS::Budgets::Budget': { name: (p) => p.Budget.BudgetName, limit: 100 },
};

/** The longest stack name the template allows: the state machine's name, <stack>-image-pipeline, has at most 80. */
const LONGEST_STACK_NAME = 'a'.repeat(80 - '-image-pipeline'.length);

/** A name as CloudFormation would build it for one stack in one region (the stack id's first 8 hex digits given). */
function renderName(value: unknown, stack: { name: string; region: string; idSuffix: string }): string {
  // Fn::Join over Fn::Split: a character replaced throughout (e.g. hyphens by underscores).
  const join = (value as { 'Fn::Join'?: [string, { 'Fn::Split': [string, unknown] }] })['Fn::Join'];
  if (join) return renderName(join[1]['Fn::Split'][1], stack).split(join[1]['Fn::Split'][0]).join(join[0]);
  const [text, variables] = (() => {
    if (typeof value === 'string') return [value, {}];
    const sub = (value as { 'Fn::Sub'?: unknown })['Fn::Sub'];
    if (typeof sub === 'string') return [sub, {}];
    if (Array.isArray(sub)) return [sub[0] as string, sub[1] as Record<string, unknown>];
    throw new Error(`cannot render ${JSON.stringify(value)}`);
  })();
  const values: Record<string, string> = { 'AWS::StackName': stack.name, 'AWS::Region': stack.region, 'AWS::AccountId': '123456789012' };
  return text.replace(/\$\{([^}]+)\}/g, (_match, name: string) => {
    if (name in values) return values[name];
    // The stack id's suffix is the only local variable these names may use.
    if (name === 'StackSuffix' && JSON.stringify(variables[name]).includes('AWS::StackId')) return stack.idSuffix;
    throw new Error(`unknown variable ${name} in ${text}`);
  });
}

/** Every account-wide name the template sets, by logical id. */
function accountWideNames(template: Template): Array<{ id: string; value: unknown; limit: number }> {
  return Object.entries(ACCOUNT_WIDE_NAMES).flatMap(([type, { name, limit }]) =>
    Object.entries(resourcesOfType(template, type)).map(([id, resource]) => ({ id, value: name(resource.Properties!), limit })),
  );
}

/**
 * What a first deploy, a second stack (in this or another region), an update and `sam delete` rely on, beyond what
 * the template linters check.
 */
describe('deployment', () => {
  it('lets CloudWatch alarms publish to the alarm topic whenever a topic policy replaces its default policy', () => {
    // Prepare
    const template = loadTemplate();
    const policies = Object.values(resourcesOfType(template, 'AWS::SNS::TopicPolicy')).filter((policy) =>
      JSON.stringify(policy.Properties!.Topics).includes('"AlarmTopic"'),
    );

    // Act
    const alarmGrants = policies.map((policy) =>
      (policy.Properties!.PolicyDocument.Statement as any[]).filter(
        (statement) =>
          statement.Effect === 'Allow' &&
          JSON.stringify(statement.Principal) === JSON.stringify({ Service: 'cloudwatch.amazonaws.com' }) &&
          statement.Action === 'sns:Publish',
      ),
    );

    // Assess
    expect(policies.length).toBeGreaterThan(0);
    for (const grants of alarmGrants) {
      expect(grants).toHaveLength(1);
      expect(grants[0].Resource).toEqual({ Ref: 'AlarmTopic' });
      // Only this account's alarms in this region.
      expect(grants[0].Condition).toEqual({
        ArnLike: { 'aws:SourceArn': { 'Fn::Sub': 'arn:${AWS::Partition}:cloudwatch:${AWS::Region}:${AWS::AccountId}:alarm:*' } },
      });
    }
  });

  it('gives the same stack name in two regions different account-wide names (CloudFront, dashboard, budget), within their limits', () => {
    // Prepare
    const names = accountWideNames(loadTemplate());
    const east = { name: 'smart-image-pipeline', region: 'us-east-1', idSuffix: '1a2b3c4d' };
    const west = { name: 'smart-image-pipeline', region: 'eu-west-1', idSuffix: '5e6f7a8b' };
    const longest = { name: LONGEST_STACK_NAME, region: 'ap-southeast-5', idSuffix: 'ffffffff' };

    // Act
    const clashes = names.filter(({ value }) => renderName(value, east) === renderName(value, west)).map(({ id }) => id);
    const tooLong = names.filter(({ value, limit }) => renderName(value, longest).length > limit).map(({ id }) => id);

    // Assess
    expect(names.map(({ id }) => id).sort()).toEqual([
      'MonthlyCostBudget',
      'PipelineDashboard',
      'WebOriginAccessControl',
      'WebResponseHeadersPolicy',
      'WebSpaRoutingFunction',
    ]);
    expect(clashes).toEqual([]);
    expect(tooLong).toEqual([]);
  });

  it('keeps every log group for LogRetentionDays, the delivery errors of the analytics stream included', () => {
    // Prepare
    const groups = resourcesOfType(loadTemplate(), 'AWS::Logs::LogGroup');

    // Act
    const otherRetention = Object.entries(groups)
      .filter(([, group]) => JSON.stringify(group.Properties!.RetentionInDays) !== JSON.stringify({ Ref: 'LogRetentionDays' }))
      .map(([id]) => id);

    // Assess
    expect(Object.keys(groups).length).toBeGreaterThan(10);
    expect(otherRetention).toEqual([]);
  });

  it('names every resource that sam delete leaves behind in the README\'s "Deleting the stack", so none is forgotten', () => {
    // Prepare
    const { Resources } = loadTemplate();
    const paragraph = readRepoFile('README.md').split('**Deleting the stack.**')[1].split('\n\n')[0];

    // Act
    const retained = Object.entries(Resources)
      .filter(([, resource]) => resource.DeletionPolicy === 'Retain')
      .map(([id]) => id);
    const unnamed = retained.filter((id) => !paragraph.includes(`\`${id}\``));

    // Assess
    expect(retained.length).toBeGreaterThanOrEqual(5);
    expect(unnamed).toEqual([]);
  });

  it('states in the README the longest stack name every state machine name allows', () => {
    // Prepare
    const machines = Object.values(resourcesOfType(loadTemplate(), 'AWS::Serverless::StateMachine'));
    const stated = /\*\*Stack name\.\*\* At most (\d+) characters/.exec(readRepoFile('README.md'));

    // Act
    // A state machine's name has at most 80 characters (Step Functions CreateStateMachine).
    const allowed = Math.min(
      ...machines.map((machine) => 80 - String(machine.Properties!.Name['Fn::Sub']).replace('${AWS::StackName}', '').length),
    );

    // Assess
    expect(machines.length).toBe(2);
    expect(stated).not.toBeNull();
    expect(Number(stated![1])).toBe(allowed);
    expect(LONGEST_STACK_NAME.length).toBe(allowed);
  });

  it('explains every pattern-checked parameter in words, so a typo fails the deploy with a readable message', () => {
    // Prepare
    const { Parameters } = loadTemplate();

    // Act
    const unexplained = Object.entries(Parameters)
      .filter(([, parameter]) => parameter.AllowedPattern !== undefined && !String(parameter.ConstraintDescription ?? '').trim())
      .map(([name]) => name);

    // Assess
    expect(unexplained).toEqual([]);
  });

  it('refuses at deploy time the VariantWidths the functions would refuse at every cold start', () => {
    // Prepare
    const pattern = new RegExp(`^(?:${loadTemplate().Parameters.VariantWidths.AllowedPattern})$`);
    const samples = [
      '256,1024,2048',
      '1',
      '16383',
      '9999,10000',
      '1,2,3,4,5,6,7,8,9,10',
      '0',
      '16384',
      '',
      '256,,1024',
      '256, 1024',
      '-5',
      'abc',
    ];
    const runtimeAccepts = (value: string): boolean => {
      const reader = new EnvironmentReader({ VARIANT_WIDTHS: value });
      reader.widths('VARIANT_WIDTHS', []);
      try {
        reader.done();
        return value.trim() !== '';
      } catch {
        return false;
      }
    };

    // Act
    const deployAccepts = samples.filter((value) => pattern.test(value));

    // Assess
    expect(deployAccepts).toEqual(['256,1024,2048', '1', '16383', '9999,10000', '1,2,3,4,5,6,7,8,9,10']);
    for (const value of deployAccepts) expect(runtimeAccepts(value)).toBe(true);
    for (const value of ['0', '16384', '256,,1024', '-5', 'abc']) expect(runtimeAccepts(value)).toBe(false);
    // Eleven widths: the pipeline version check allows at most ten.
    expect(pattern.test('1,2,3,4,5,6,7,8,9,10,11')).toBe(false);
  });

  it('accepts only a JSON object that fits a standard SSM parameter as PipelineConfig, the default and samconfig.toml included', () => {
    // Prepare
    const parameter = loadTemplate().Parameters.PipelineConfig;
    const pattern = new RegExp(`^(?:${parameter.AllowedPattern})$`);
    const local = /PipelineConfig='([^']*)'/.exec(readRepoFile('samconfig.toml'))![1];

    // Act
    const accepted = [parameter.Default, local, '{\n  "detectText": "always"\n}'].map((value) => pattern.test(value));
    const refused = ['', 'minLabelConfidence=80', '[{}]', '"{}"'].map((value) => pattern.test(value));

    // Assess
    expect(JSON.parse(local)).toEqual(expect.objectContaining({ detectText: 'always' }));
    expect(accepted).toEqual([true, true, true]);
    expect(refused).toEqual([false, false, false, false]);
    // Standard-tier SSM parameters hold at most 4096 characters.
    expect(parameter.MaxLength).toBe(4096);
  });

  it('names the Glue database and table in lower case whatever the stack name, as Glue stores them and the IAM grants spell them', () => {
    // Prepare
    const template = loadTemplate();
    const stack = { name: 'Smart-Images-Prod', region: 'eu-west-1', idSuffix: '1a2b3c4d' };
    const database = Object.values(resourcesOfType(template, 'AWS::Glue::Database'));
    const tables = Object.values(resourcesOfType(template, 'AWS::Glue::Table'));

    // Act
    const names = [
      ...database.map((resource) => renderName(resource.Properties!.DatabaseInput.Name, stack)),
      ...tables.map((resource) => renderName(resource.Properties!.TableInput.Name, stack)),
    ];

    // Assess
    expect(names).toHaveLength(2);
    for (const name of names) expect(name).toMatch(/^[a-z0-9_]+$/);
  });

  it('names in the README\'s Security section every action the template allows on Resource "*"', () => {
    // Prepare
    const template = loadTemplate();
    const security = readRepoFile('README.md').split('\n## Security\n')[1].split('\n## ')[0];
    const statements = [
      ...Object.values(template.Resources)
        .filter((resource) => resource.Type.startsWith('AWS::Serverless::'))
        .flatMap((resource) => inlineStatements(resource.Properties?.Policies)),
      ...Object.values(resourcesOfType(template, 'AWS::IAM::Role')).flatMap((role) =>
        (role.Properties!.Policies as any[]).flatMap((policy) => policy.PolicyDocument.Statement),
      ),
    ];

    // Act
    const anywhere = [
      ...new Set(
        statements
          .filter((statement) => statement.Effect === 'Allow' && statement.Resource === '*')
          .flatMap((statement) => asArray(statement.Action))
          .map((action) => action.split(':')[1]),
      ),
    ];
    const unnamed = anywhere.filter((action) => !security.includes(`\`${action}\``) && !security.includes(`/\`${action}\``));

    // Assess
    expect(anywhere.length).toBeGreaterThan(10);
    expect(unnamed).toEqual([]);
  });

  it('keeps the TLS-only policy of every retained bucket when the stack is deleted', () => {
    // Prepare
    const { Resources } = loadTemplate();
    const retainedBuckets = Object.entries(Resources)
      .filter(([, resource]) => resource.Type === 'AWS::S3::Bucket' && resource.DeletionPolicy === 'Retain')
      .map(([id]) => id);

    // Act
    const policies = Object.values(resourcesOfType(loadTemplate(), 'AWS::S3::BucketPolicy')).filter((policy) =>
      retainedBuckets.some((id) => JSON.stringify(policy.Properties!.Bucket) === JSON.stringify({ Ref: id })),
    );

    // Assess
    expect(retainedBuckets.length).toBe(3);
    expect(policies).toHaveLength(retainedBuckets.length);
    for (const policy of policies) {
      expect([policy.DeletionPolicy, policy.UpdateReplacePolicy]).toEqual(['Retain', 'Retain']);
      expect(JSON.stringify(policy.Properties!.PolicyDocument)).toContain('"aws:SecureTransport":"false"');
    }
  });
});
