import { readSigV4Scope } from '../../sigv4';

describe('readSigV4Scope', () => {
  it('reads the service and region from the Authorization header', () => {
    // Prepare
    const authorization =
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261125/eu-west-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc';

    // Act
    const scope = readSigV4Scope({ authorization }, new URL('http://edge.local/'));

    // Assess
    expect(scope).toEqual({ accessKeyId: 'AKIDEXAMPLE', date: '20261125', region: 'eu-west-1', service: 'dynamodb' });
  });

  it('reads a presigned URL credential from the query', () => {
    // Prepare
    const url = new URL('http://edge.local/b/k?X-Amz-Credential=test%2F20261125%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Expires=60');

    // Act
    const scope = readSigV4Scope({}, url);

    // Assess
    expect(scope?.service).toBe('s3');
  });

  it('returns undefined for unsigned requests', () => {
    expect(readSigV4Scope({ authorization: 'Basic abc' }, new URL('http://edge.local/'))).toBeUndefined();
  });
  it('reads a SigV2 header or presigned query as S3', () => {
    // Prepare
    const header = { authorization: 'AWS test:c2lnbmF0dXJl' };
    const query = new URL('http://edge.local/b/k?AWSAccessKeyId=test&Signature=x%3D&Expires=1');

    // Act
    const fromHeader = readSigV4Scope(header, new URL('http://edge.local/b/k'));
    const fromQuery = readSigV4Scope({}, query);

    // Assess
    expect(fromHeader?.service).toBe('s3');
    expect(fromQuery?.service).toBe('s3');
  });
});
