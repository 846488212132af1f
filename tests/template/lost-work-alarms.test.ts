import { asArray, loadTemplate, resourcesOfType, type Resource } from './support/template';

const template = loadTemplate();
const resources = template.Resources;
const rules = resourcesOfType(template, 'AWS::Events::Rule');
const queuePolicies = Object.values(resourcesOfType(template, 'AWS::SQS::QueuePolicy'));
const analyticsRuleIds = Object.keys(rules).filter((id) =>
  rules[id].Properties!.Targets.some((target: any) => JSON.stringify(target.Arn) === '{"Fn::GetAtt":["AnalyticsDeliveryStream","Arn"]}'),
);
const alarm = (id: string) => resources[id].Properties!;
const queueName = (queueId: string) => ({ 'Fn::GetAtt': [queueId, 'QueueName'] });
/** CloudFormation's Ref of a rule on a custom bus is 'bus|rule'; the metrics' RuleName dimension is the part after '|'. */
const ruleName = (ruleId: string) => ({ 'Fn::Select': [1, { 'Fn::Split': ['|', { Ref: ruleId }] }] });

/** The queue policy statements that let EventBridge send to a queue, each with the rule ARNs it admits. */
function eventBridgeSendersOf(queueId: string): unknown[][] {
  return queuePolicies
    .filter((policy: Resource) => asArray(policy.Properties!.Queues).some((queue: any) => queue.Ref === queueId))
    .flatMap((policy: Resource) => policy.Properties!.PolicyDocument.Statement)
    .filter(
      (statement: any) =>
        statement.Effect === 'Allow' &&
        statement.Principal?.Service === 'events.amazonaws.com' &&
        asArray(statement.Action).includes('sqs:SendMessage') &&
        asArray(statement.Resource).some(
          (resource: any) => JSON.stringify(resource) === JSON.stringify({ 'Fn::GetAtt': [queueId, 'Arn'] }),
        ),
    )
    .map((statement: any) => asArray(statement.Condition?.ArnEquals?.['aws:SourceArn']));
}

describe('alarms and dead letters for work that could be lost silently', () => {
  it('has three analytics rules, each parking the facts Firehose refuses for a day in the analytics DLQ', () => {
    // Act
    const targets = analyticsRuleIds.flatMap((id) => rules[id].Properties!.Targets);

    // Assess
    expect([...analyticsRuleIds].sort()).toEqual(['AnalyticsFailedFactsRule', 'AnalyticsFlaggedFactsRule', 'AnalyticsProcessedFactsRule']);
    for (const target of targets) {
      expect(target.DeadLetterConfig).toEqual({ Arn: { 'Fn::GetAtt': ['AnalyticsDeadLetterQueue', 'Arn'] } });
      expect(target.RetryPolicy).toEqual({ MaximumEventAgeInSeconds: 86400 });
    }
  });

  it('keeps dead-lettered facts encrypted for 14 days', () => {
    expect(resources.AnalyticsDeadLetterQueue).toMatchObject({
      Type: 'AWS::SQS::Queue',
      Properties: { SqsManagedSseEnabled: true, MessageRetentionPeriod: 1209600 },
    });
  });

  it('lets only the analytics rules of this stack send to the analytics DLQ', () => {
    // Act
    const senders = eventBridgeSendersOf('AnalyticsDeadLetterQueue');
    const [statement] = resources.AnalyticsDeadLetterQueuePolicy.Properties!.PolicyDocument.Statement;

    // Assess
    expect(resources.AnalyticsDeadLetterQueuePolicy.Properties!.Queues).toEqual([{ Ref: 'AnalyticsDeadLetterQueue' }]);
    expect(resources.AnalyticsDeadLetterQueuePolicy.Properties!.PolicyDocument.Statement).toHaveLength(1);
    expect(statement.Action).toBe('sqs:SendMessage');
    expect(senders).toHaveLength(1);
    expect(senders[0]).toHaveLength(analyticsRuleIds.length);
    expect(senders[0]).toEqual(expect.arrayContaining(analyticsRuleIds.map((id) => ({ 'Fn::GetAtt': [id, 'Arn'] }))));
  });

  it.each(Object.keys(rules).filter((id) => rules[id].Properties!.Targets.some((target: any) => target.DeadLetterConfig)))(
    "%s's dead-letter queue lets that rule send to it (EventBridge needs the queue's permission, not a role)",
    (ruleId) => {
      for (const target of rules[ruleId].Properties!.Targets.filter((t: any) => t.DeadLetterConfig)) {
        // Act
        const queueId = target.DeadLetterConfig.Arn['Fn::GetAtt'][0];

        // Assess
        expect(eventBridgeSendersOf(queueId).flat()).toContainEqual({ 'Fn::GetAtt': [ruleId, 'Arn'] });
      }
    },
  );

  it('alarms when a fact waits in the analytics DLQ', () => {
    expect(alarm('AnalyticsDeadLetterAlarm')).toMatchObject({
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: queueName('AnalyticsDeadLetterQueue') }],
      Statistic: 'Maximum',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
  });

  it('alarms when an analytics rule fails a delivery or cannot dead-letter it, per rule on the custom bus', () => {
    // Prepare
    const { Metrics } = alarm('AnalyticsRulesUndeliveredAlarm');
    const [sum, ...inputs] = Metrics;

    // Act
    const watched = inputs.map((input: any) => ({
      metric: `${input.MetricStat.Metric.Namespace} ${input.MetricStat.Metric.MetricName}`,
      dimensions: input.MetricStat.Metric.Dimensions,
      stat: input.MetricStat.Stat,
    }));

    // Assess
    expect(sum).toMatchObject({ ReturnData: true, Expression: inputs.map((input: any) => input.Id).join(' + ') });
    expect(inputs.every((input: any) => input.ReturnData === false)).toBe(true);
    expect(watched).toEqual(
      expect.arrayContaining(
        analyticsRuleIds.flatMap((id) =>
          ['FailedInvocations', 'InvocationsFailedToBeSentToDlq'].map((metric) => ({
            metric: `AWS/Events ${metric}`,
            dimensions: [
              { Name: 'EventBusName', Value: { Ref: 'EventBus' } },
              { Name: 'RuleName', Value: ruleName(id) },
            ],
            stat: 'Sum',
          })),
        ),
      ),
    );
    expect(watched).toHaveLength(analyticsRuleIds.length * 2);
    expect(alarm('AnalyticsRulesUndeliveredAlarm')).toMatchObject({ Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
  });

  it('alarms when Firehose falls behind delivering facts or cannot convert them to Parquet', () => {
    // Prepare
    const stream = [{ Name: 'DeliveryStreamName', Value: { Ref: 'AnalyticsDeliveryStream' } }];

    // Assess
    expect(alarm('AnalyticsDeliveryFreshnessAlarm')).toMatchObject({
      Namespace: 'AWS/Firehose',
      MetricName: 'DeliveryToS3.DataFreshness',
      Dimensions: stream,
      Statistic: 'Maximum',
      Threshold: 900,
      ComparisonOperator: 'GreaterThanThreshold',
    });
    expect(alarm('AnalyticsConversionFailedAlarm')).toMatchObject({
      Namespace: 'AWS/Firehose',
      MetricName: 'FailedConversion.Records',
      Dimensions: stream,
      Statistic: 'Sum',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
    // The freshness alarm waits longer than one buffer flush (IntervalInSeconds), so a full buffer is not an alarm.
    const { IntervalInSeconds } = resources.AnalyticsDeliveryStream.Properties!.ExtendedS3DestinationConfiguration.BufferingHints;
    expect(alarm('AnalyticsDeliveryFreshnessAlarm').Threshold).toBeGreaterThan(IntervalInSeconds);
  });

  it.each([
    ['ReprocessExecutionsFailedAlarm', 'ExecutionsFailed'],
    ['ReprocessExecutionsTimedOutAlarm', 'ExecutionsTimedOut'],
  ])('%s watches the reprocess state machine (%s)', (alarmId, metric) => {
    expect(alarm(alarmId)).toMatchObject({
      Namespace: 'AWS/States',
      MetricName: metric,
      Dimensions: [{ Name: 'StateMachineArn', Value: { Ref: 'ReprocessStateMachine' } }],
      Statistic: 'Sum',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
  });

  it.each([
    'AnalyticsDeadLetterAlarm',
    'AnalyticsRulesUndeliveredAlarm',
    'AnalyticsDeliveryFreshnessAlarm',
    'AnalyticsConversionFailedAlarm',
    'ReprocessExecutionsFailedAlarm',
    'ReprocessExecutionsTimedOutAlarm',
  ])('%s tells the alarm topic when it fires and when it clears, and no data is no failure', (alarmId) => {
    expect(alarm(alarmId)).toMatchObject({
      AlarmActions: [{ Ref: 'AlarmTopic' }],
      OKActions: [{ Ref: 'AlarmTopic' }],
      TreatMissingData: 'notBreaching',
      EvaluationPeriods: 1,
    });
  });
});
