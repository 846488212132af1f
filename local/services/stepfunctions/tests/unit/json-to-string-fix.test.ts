import { applyJsonToString, planJsonToString } from '../../json-to-string-fix';

describe('planJsonToString', () => {
  it('moves States.JsonToString of a path out of the engine and serialises it with its escapes intact', () => {
    // Prepare
    const definition = {
      States: {
        Notify: {
          Type: 'Task',
          Parameters: {
            TopicArn: 't',
            'Message.$': 'States.JsonToString($.notification)',
            Nested: { 'Body.$': 'States.JsonToString($.x)' },
          },
        },
        Compose: { Type: 'Pass', Parameters: { 'm.$': 'States.JsonToString($.n)' } },
      },
    };
    const notification = { error: { cause: JSON.stringify({ errorMessage: 'a "quoted" word' }) } };

    // Act
    const { definition: rewritten, plan } = planJsonToString(definition);
    const sent = applyJsonToString({ TopicArn: 't', Message: notification, Nested: { Body: [1] } }, plan.Notify) as {
      Message: string;
      Nested: { Body: string };
    };

    // Assess
    expect(rewritten.States.Notify.Parameters).toEqual({ TopicArn: 't', 'Message.$': '$.notification', Nested: { 'Body.$': '$.x' } });
    expect(rewritten.States.Compose.Parameters).toEqual({ 'm.$': 'States.JsonToString($.n)' });
    expect(JSON.parse(sent.Message)).toEqual(notification);
    expect(sent.Nested.Body).toBe('[1]');
    expect(definition.States.Notify.Parameters['Message.$']).toBe('States.JsonToString($.notification)');
  });
});
