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
 */
export function readSigV4Scope(headers: IncomingHttpHeaders, url: URL): SigV4Scope | undefined {
  const authorization = headers.authorization;
  if (typeof authorization === 'string' && authorization.startsWith('AWS4-HMAC-SHA256')) {
    const credential = /Credential=([^,\s]+)/.exec(authorization);
    if (credential) return parseCredentialScope(credential[1]);
  }
  const queryCredential = url.searchParams.get('X-Amz-Credential');
  return queryCredential ? parseCredentialScope(queryCredential) : undefined;
}
