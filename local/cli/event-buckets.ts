import { ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';

/**
 * The S3 bucket names an event refers to: S3 notification records (`s3.bucket.name`) and any string property named
 * `bucket` or `Bucket` at any depth, which is how the pipeline's payloads (docs/contracts.md) name their objects.
 */
export function bucketsNamedIn(event: unknown): string[] {
  const names = new Set<string>();
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(visit);
    if (!value || typeof value !== 'object') return;
    for (const [name, child] of Object.entries(value)) {
      if ((name === 'bucket' || name === 'Bucket') && typeof child === 'string' && child) names.add(child);
      if (name === 'bucket' && child && typeof child === 'object' && typeof (child as { name?: unknown }).name === 'string') {
        names.add((child as { name: string }).name);
      }
      visit(child);
    }
  };
  visit(event);
  return [...names];
}

/** The bucket names of the stack at an edge URL, via the S3 API. @throws the SDK's error when the edge does not answer. */
export async function listEdgeBuckets(edgeUrl: string, region: string): Promise<string[]> {
  const s3 = new S3Client({ endpoint: edgeUrl, region, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  try {
    const listed = await s3.send(new ListBucketsCommand({}));
    return (listed.Buckets ?? []).map((bucket) => bucket.Name ?? '').filter(Boolean);
  } finally {
    s3.destroy();
  }
}

/**
 * A note for the user when the event names buckets the local stack does not have (the samples in events/ name a
 * deployed account's buckets), with the local names and an upload command to use instead; undefined when all exist.
 */
export function missingBucketsNote(
  named: readonly string[],
  local: readonly string[],
  hint: { edgeUrl: string; uploadsBucket?: string },
): string | undefined {
  const missing = named.filter((name) => !local.includes(name));
  if (missing.length === 0) return undefined;
  return [
    `invoke: note: the event names bucket${missing.length > 1 ? 's' : ''} ${missing.join(', ')}, which the local stack does not have,`,
    "  so a read of those objects fails with the function's own not-found error (expected; invoke itself worked).",
    "  The samples in events/ name a deployed account's buckets. Local buckets: " + (local.join(', ') || '(none)') + '.',
    '  To run it on a real object, upload one and invoke a copy of the event with that bucket, key and versionId:',
    `  aws --endpoint-url ${hint.edgeUrl} s3api put-object --bucket ${hint.uploadsBucket ?? local[0] ?? '<bucket>'} --key uploads/photo.jpg --body photo.jpg`,
  ].join('\n');
}
