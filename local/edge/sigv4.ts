import type { IncomingHttpHeaders } from 'node:http';

/** The parts of a SigV4 credential scope the edge routes on; the signature itself is never checked. */
export interface SigV4Scope {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
}

const SCOPE = /^([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request$/;

/** Parses "AKID/20260101/us-east-1/s3/aws4_request"; undefined when it is not a SigV4 scope. */
export function parseCredentialScope(credential: string): SigV4Scope | undefined {
  const match = SCOPE.exec(credential.trim());
  if (!match) return undefined;
  return { accessKeyId: match[1], date: match[2], region: match[3], service: match[4] };
}

/**
 * Reads the SigV4 scope from the Authorization header, else from a presigned URL's X-Amz-Credential.
 * Local mode accepts any credentials, so only the service and region are used.
 * A SigV2 signature (`Authorization: AWS key:sig`, or `AWSAccessKeyId` + `Signature` in the query, which
 * `aws s3 presign` of the AWS CLI v1 produces) only exists for S3, so it reads as service "s3".
 */
export function readSigV4Scope(headers: IncomingHttpHeaders, url: URL): SigV4Scope | undefined {
  const authorization = headers.authorization;
  if (typeof authorization === 'string' && authorization.startsWith('AWS4-HMAC-SHA256')) {
    const credential = /Credential=([^,\s]+)/.exec(authorization);
    if (credential) return parseCredentialScope(credential[1]);
  }
  const queryCredential = url.searchParams.get('X-Amz-Credential');
  if (queryCredential) return parseCredentialScope(queryCredential);
  const v2Key = sigV2AccessKey(authorization, url);
  return v2Key ? { accessKeyId: v2Key, date: '', region: 'us-east-1', service: 's3' } : undefined;
}

/** The access key of a SigV2 header or query signature; undefined when there is none. */
function sigV2AccessKey(authorization: string | undefined, url: URL): string | undefined {
  const header = typeof authorization === 'string' ? /^AWS ([^:\s]+):\S+$/.exec(authorization) : null;
  if (header) return header[1];
  const queryKey = url.searchParams.get('AWSAccessKeyId');
  return queryKey && url.searchParams.has('Signature') ? queryKey : undefined;
}
