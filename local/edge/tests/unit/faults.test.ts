import { applyFaults, InvalidFaultSpecError, parseFaults } from '../../faults';
import type { EdgeRequest } from '../../types';

function request(target: string | undefined, signingService?: string, path = '/'): EdgeRequest {
  return { method: 'POST', url: new URL(`http://edge.local${path}`), headers: {}, body: Buffer.alloc(0), target, signingService };
}

describe('parseFaults', () => {
  it('reads every switch with its unit', () => {
    // Act
    const config = parseFaults('dynamodb.write=0.1, s3.slow=2s,rekognition.throttle=0.3');

    // Assess
    expect(config).toEqual({ dynamodbWrite: 0.1, s3SlowMs: 2000, rekognitionThrottle: 0.3 });
  });

  it('is off when the variable is unset', () => {
    expect(parseFaults(undefined)).toEqual({});
  });

  it('refuses unknown switches and out-of-range shares', () => {
    expect(() => parseFaults('lambda.crash=1')).toThrow(InvalidFaultSpecError);
    expect(() => parseFaults('dynamodb.write=1.5')).toThrow(InvalidFaultSpecError);
    expect(() => parseFaults('s3.slow=fast')).toThrow(InvalidFaultSpecError);
  });
});

describe('applyFaults', () => {
  it('throttles DynamoDB writes but never reads', async () => {
    // Prepare
    const config = parseFaults('dynamodb.write=0.5');

    // Act
    const write = await applyFaults(config, request('DynamoDB_20120810.PutItem'), () => 0.2);
    const read = await applyFaults(config, request('DynamoDB_20120810.GetItem'), () => 0.2);
    const lucky = await applyFaults(config, request('DynamoDB_20120810.PutItem'), () => 0.7);

    // Assess
    expect(write).toMatchObject({ code: 'ProvisionedThroughputExceededException', status: 400 });
    expect(read).toBeUndefined();
    expect(lucky).toBeUndefined();
  });

  it('answers Rekognition calls with ThrottlingException at the configured share', async () => {
    // Act
    const response = await applyFaults(parseFaults('rekognition.throttle=0.3'), request('RekognitionService.DetectLabels'), () => 0.1);

    // Assess
    expect(response).toMatchObject({ code: 'ThrottlingException', status: 400 });
  });

  it('refuses SES v2 SendEmail with MessageRejected at the configured share, and nothing else', async () => {
    // Prepare
    const config = parseFaults('ses.reject=1');

    // Act
    const send = await applyFaults(config, request(undefined, 'ses', '/v2/email/outbound-emails'), () => 0.5);
    const other = await applyFaults(config, request(undefined, 'ses', '/v2/email/identities'), () => 0.5);
    const sns = await applyFaults(config, request(undefined, 'sns'), () => 0.5);

    // Assess
    expect(send).toMatchObject({ code: 'MessageRejected', status: 400 });
    expect(other).toBeUndefined();
    expect(sns).toBeUndefined();
  });

  it('holds S3 calls back by the configured delay and leaves other services alone', async () => {
    // Prepare
    jest.useFakeTimers();
    const config = parseFaults('s3.slow=200ms');
    let s3Done = false;

    // Act
    const s3Call = applyFaults(config, request(undefined, 's3')).then(() => {
      s3Done = true;
    });
    const other = await applyFaults(config, request('DynamoDB_20120810.PutItem', 'dynamodb'));
    await jest.advanceTimersByTimeAsync(199);
    const doneEarly = s3Done;
    await jest.advanceTimersByTimeAsync(1);
    await s3Call;
    jest.useRealTimers();

    // Assess
    expect(other).toBeUndefined();
    expect(doneEarly).toBe(false);
    expect(s3Done).toBe(true);
  });
});
