import { loadTemplate, resourcesOfType } from './support/template';

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
});
