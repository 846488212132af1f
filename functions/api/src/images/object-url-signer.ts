import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl, S3RequestPresigner } from '@aws-sdk/s3-request-presigner';

/** Signs a GET of one object; the options are getSignedUrl's. */
export type ObjectUrlSigner = (
  key: string,
  options: { responseContentType: string; expiresIn: number; signingDate: Date },
) => Promise<string>;

/** Where a bucket's objects are addressed and how requests to it are signed, as the SDK resolved it. */
interface BucketEndpoint {
  protocol: string;
  hostname: string;
  port?: number;
  /** The path before the object key: '' for virtual-hosted style, `/<bucket>` for path style. */
  basePath: string;
  /** Parameters the SDK puts on every GetObject (`x-id`, and `x-amz-checksum-mode` unless checksums are off). */
  query: Record<string, string>;
  presigner: S3RequestPresigner;
  signingRegion: string;
  signingService: string;
}

const PROBE_KEY = 'probe';

/** encodeURIComponent plus the characters RFC 3986 reserves, as the SDK encodes path segments and query values. */
const escapeUri = (text: string) => encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/**
 * Learns the bucket's endpoint and signing scope from one URL signed by the SDK (so endpoint rules, path style,
 * custom endpoints and regions stay the SDK's), and builds the presigner getSignedUrl would build.
 * @throws Error when the SDK's URL does not end with the probe key (an endpoint this signer does not understand).
 */
async function resolveBucketEndpoint(s3: Pick<S3Client, 'send' | 'config'>, bucket: string): Promise<BucketEndpoint> {
  const url = new URL(await getSignedUrl(s3 as S3Client, new GetObjectCommand({ Bucket: bucket, Key: PROBE_KEY })));
  const scope = (url.searchParams.get('X-Amz-Credential') ?? '').split('/');
  if (!url.pathname.endsWith(`/${PROBE_KEY}`) || scope.length !== 5 || url.searchParams.get('X-Amz-SignedHeaders') !== 'host')
    throw new Error(`Cannot derive a signing endpoint for bucket ${bucket} from ${url.origin}${url.pathname}`);
  const [, , signingRegion, signingService] = scope;
  return {
    protocol: url.protocol,
    hostname: url.hostname,
    port: url.port === '' ? undefined : Number(url.port),
    basePath: url.pathname.slice(0, -PROBE_KEY.length - 1),
    // The signature's own parameters are added again by each presign.
    query: Object.fromEntries([...url.searchParams].filter(([name]) => !name.startsWith('X-Amz-'))),
    presigner: new S3RequestPresigner({ ...s3.config, signingName: signingService, region: async () => signingRegion }),
    signingRegion,
    signingService,
  };
}

/**
 * Presigned GETs of one bucket's objects, byte for byte what `getSignedUrl(s3, new GetObjectCommand(...))` returns
 * (tests/unit/object-url-signer.test.ts compares them), at a fraction of its CPU: getSignedUrl resolves the endpoint
 * rules, clones the client's middleware stack and builds a new signer (losing its signing-key cache) for every URL,
 * which made signing a page of 24 thumbnails the largest part of a listing's time. Here the endpoint is resolved once
 * per bucket and each URL is one SigV4 presign.
 */
export function objectUrlSigner(s3: Pick<S3Client, 'send' | 'config'>, bucket: string): ObjectUrlSigner {
  let endpoint: Promise<BucketEndpoint> | undefined;
  return async (key, options) => {
    endpoint ??= resolveBucketEndpoint(s3, bucket).catch((error: unknown) => {
      endpoint = undefined; // a failed resolution (e.g. credentials not yet available) is retried next time
      throw error;
    });
    const target = await endpoint;
    const host = target.port === undefined ? target.hostname : `${target.hostname}:${target.port}`;
    const signed = await target.presigner.presign(
      {
        method: 'GET',
        protocol: target.protocol,
        hostname: target.hostname,
        port: target.port,
        path: `${target.basePath}/${key.split('/').map(escapeUri).join('/')}`,
        query: { ...target.query, 'response-content-type': options.responseContentType },
        headers: { host },
      },
      {
        expiresIn: options.expiresIn,
        signingDate: options.signingDate,
        signingRegion: target.signingRegion,
        signingService: target.signingService,
      },
    );
    // Parameters in sorted order, as the SDK's formatUrl writes them.
    const query = Object.entries(signed.query ?? {})
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .flatMap(([name, value]) => (Array.isArray(value) ? value : [value]).map((one) => `${escapeUri(name)}=${escapeUri(String(one))}`))
      .join('&');
    return `${signed.protocol}//${host}${signed.path}${query ? `?${query}` : ''}`;
  };
}
