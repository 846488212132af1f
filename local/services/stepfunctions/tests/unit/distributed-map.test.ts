import { parseItems, planDistributedMaps } from '../../distributed-map';
import { TaskFailedError } from '../../errors';
import { insertTaskToken, MAX_LOCAL_WAIT_SECONDS, planTaskTokens } from '../../task-token-fix';

describe('ItemReader parsing', () => {
  it('reads CSV with quoted fields, CRLF and a given header', () => {
    // Act
    const first = parseItems('a,b\r\n1,"x, ""y"""\r\n2,\r\n', { InputType: 'CSV' }, 'here');
    const given = parseItems(
      '1;2\n3;4',
      { InputType: 'CSV', CSVHeaderLocation: 'GIVEN', CSVHeaders: ['p', 'q'], CSVDelimiter: 'SEMICOLON' },
      'here',
    );

    // Assess
    expect(first).toEqual([
      { a: '1', b: 'x, "y"' },
      { a: '2', b: '' },
    ]);
    expect(given).toEqual([
      { p: '1', q: '2' },
      { p: '3', q: '4' },
    ]);
  });

  it('reads JSON Lines and refuses a JSON object that is not an array', () => {
    // Act / Assess
    expect(parseItems('{"a":1}\n\n{"a":2}\n', { InputType: 'JSONL' }, 'here')).toEqual([{ a: 1 }, { a: 2 }]);
    expect(() => parseItems('{"a":1}', {}, 's3://b/k')).toThrow(TaskFailedError);
    expect(() => parseItems('[1,', {}, 's3://b/k')).toThrow(/s3:\/\/b\/k is not valid JSON/);
  });
});

describe('definition rewrites', () => {
  it('turns a Distributed Map into a local Task and leaves an inline Map alone', () => {
    // Prepare
    const processor = { StartAt: 'W', States: { W: { Type: 'Pass', End: true } } };
    const definition = {
      StartAt: 'D',
      States: {
        D: {
          Type: 'Map',
          ItemProcessor: { ...processor, ProcessorConfig: { Mode: 'DISTRIBUTED' } },
          MaxConcurrency: 4,
          ResultPath: '$.r',
          Next: 'I',
        },
        I: { Type: 'Map', ItemProcessor: processor, End: true },
      },
    };

    // Act
    const { definition: rewritten, maps } = planDistributedMaps(definition);

    // Assess
    // A Map has no timeout on AWS: the Task must not get the local engine's 60-second default.
    expect(rewritten.States.D).toEqual({
      Type: 'Task',
      Resource: 'arn:aws:states:::local:distributedMap',
      ResultPath: '$.r',
      Next: 'I',
      TimeoutSeconds: MAX_LOCAL_WAIT_SECONDS,
    });
    expect(rewritten.States.I).toEqual(definition.States.I);
    expect(maps.D).toMatchObject({ processor, maxConcurrency: 4 });
    expect(definition.States.D.Type).toBe('Map'); // the input is not changed
  });

  it('moves $$.Task.Token out of a callback task and writes the token back where it was', () => {
    // Prepare
    const definition = {
      StartAt: 'A',
      States: {
        A: {
          Type: 'Task',
          Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken',
          Parameters: { MessageBody: { 'token.$': '$$.Task.Token', 'id.$': '$.id' } },
          End: true,
        },
      },
    };

    // Act
    const { definition: rewritten, tokens } = planTaskTokens(definition);
    const input = insertTaskToken({ MessageBody: { id: 'x' } }, tokens.A.tokenFields, 'AQtoken');

    // Assess
    expect(rewritten.States.A.Parameters).toEqual({ MessageBody: { 'id.$': '$.id' } });
    expect((rewritten.States.A as { TimeoutSeconds?: number }).TimeoutSeconds).toBeGreaterThan(86_400);
    expect(tokens.A.limits).toEqual({ timeoutSeconds: undefined, heartbeatSeconds: undefined });
    expect(input).toEqual({ MessageBody: { id: 'x', token: 'AQtoken' } });
  });
});
