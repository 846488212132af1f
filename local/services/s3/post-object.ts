import { createHash } from 'node:crypto';
import { AwsServiceError } from '../../edge/aws-error';
import type { EdgeResponse } from '../../edge/types';
import { computeChecksum } from './checksums';
import type { S3Context } from './context';
import { parseMultipartForm } from './multipart-form';

/** Form fields S3 reads itself; every other field must be allowed by a policy condition. */
const EXEMPT = new Set(['x-amz-signature', 'file', 'policy']);

type Condition = { kind: 'eq' | 'starts-with'; field: string; value: string } | { kind: 'range'; min: number; max: number };

const policyFailure = (text: string) => new AwsServiceError('AccessDenied', 403, `Invalid according to Policy: ${text}`);

/** Reads the base64 policy document into its expiration and conditions. @throws AwsServiceError for a malformed policy. */
function readPolicy(encoded: string): { expiration: number; conditions: Condition[] } {
  let document: { expiration?: unknown; conditions?: unknown };
  try {
    document = JSON.parse(Buffer.from(encoded, 'base64').toString('utf8')) as typeof document;
  } catch {
    throw new AwsServiceError('InvalidPolicyDocument', 400, 'Invalid Policy: Invalid JSON.');
  }
  const expiration = Date.parse(String(document.expiration ?? ''));
  if (!Array.isArray(document.conditions) || Number.isNaN(expiration))
    throw new AwsServiceError('InvalidPolicyDocument', 400, 'Invalid Policy: it needs an expiration and a conditions list.');
  const conditions = document.conditions.flatMap((entry): Condition[] => {
    if (Array.isArray(entry) && entry[0] === 'content-length-range')
      return [{ kind: 'range', min: Number(entry[1]), max: Number(entry[2]) }];
    if (Array.isArray(entry) && (entry[0] === 'eq' || entry[0] === 'starts-with') && typeof entry[1] === 'string')
      return [{ kind: entry[0], field: entry[1].replace(/^\$/, '').toLowerCase(), value: String(entry[2]) }];
    if (entry && typeof entry === 'object' && !Array.isArray(entry))
      return Object.entries(entry).map(([field, value]) => ({ kind: 'eq' as const, field: field.toLowerCase(), value: String(value) }));
    throw new AwsServiceError('InvalidPolicyDocument', 400, `Invalid Policy: Invalid Condition ${JSON.stringify(entry)}`);
  });
  return { expiration, conditions };
}

/**
 * PostObject (a browser upload with a presigned POST policy): checks the policy as S3 does (not expired, every
 * condition met by the form, every form field allowed by a condition, the file within content-length-range), then
 * stores the file with the form's Content-Type and x-amz-meta-* fields and queues ObjectCreated:Post. As everywhere in
 * local mode, the signature itself is not checked.
 * @throws AwsServiceError AccessDenied (policy), EntityTooLarge / EntityTooSmall, MalformedPOSTRequest, InvalidArgument.
 */
export async function postObject(ctx: S3Context, bucket: string, contentType: string, body: Buffer): Promise<EdgeResponse> {
  const info = ctx.store.bucketInfo(bucket);
  const form = parseMultipartForm(contentType, body);
  const fields = new Map(form.fields.map(([name, value]) => [name.toLowerCase(), value]));
  if (!form.file)
    throw new AwsServiceError('InvalidArgument', 400, 'POST requires exactly one file upload per request.', { ArgumentName: 'file' });
  const policyText = fields.get('policy');
  if (!policyText)
    throw new AwsServiceError('AccessDenied', 403, 'Bucket POST must contain a field named policy (anonymous uploads are not allowed).');
  const policy = readPolicy(policyText);
  if (Date.now() > policy.expiration) throw policyFailure('Policy expired.');
  const key = (fields.get('key') ?? '').replace(/\$\{filename\}/g, form.file.filename);
  if (!key) throw new AwsServiceError('InvalidArgument', 400, 'Bucket POST must contain a field named key.', { ArgumentName: 'key' });
  const values = new Map(fields);
  values.set('bucket', bucket);
  values.set('key', key);
  for (const condition of policy.conditions) {
    if (condition.kind === 'range') {
      if (form.file.body.length > condition.max)
        throw new AwsServiceError('EntityTooLarge', 400, 'Your proposed upload exceeds the maximum allowed size', {
          ProposedSize: String(form.file.body.length),
          MaxSizeAllowed: String(condition.max),
        });
      if (form.file.body.length < condition.min)
        throw new AwsServiceError('EntityTooSmall', 400, 'Your proposed upload is smaller than the minimum allowed size', {
          ProposedSize: String(form.file.body.length),
          MinSizeAllowed: String(condition.min),
        });
      continue;
    }
    const actual = values.get(condition.field) ?? '';
    const holds = condition.kind === 'eq' ? actual === condition.value : actual.startsWith(condition.value);
    if (!holds) throw policyFailure(`Policy Condition failed: ["${condition.kind}", "$${condition.field}", "${condition.value}"]`);
  }
  for (const name of fields.keys()) {
    if (EXEMPT.has(name) || name.startsWith('x-ignore-')) continue;
    if (!policy.conditions.some((condition) => condition.kind !== 'range' && condition.field === name))
      throw policyFailure(`Extra input fields: ${name}`);
  }
  const metadata = Object.fromEntries(
    [...fields].filter(([name]) => name.startsWith('x-amz-meta-')).map(([name, value]) => [name.slice('x-amz-meta-'.length), value]),
  );
  const version = await ctx.store.putObject(bucket, key, form.file.body, {
    etag: createHash('md5').update(form.file.body).digest('hex'),
    contentType: fields.get('content-type') ?? 'binary/octet-stream',
    metadata,
    checksum: { algorithm: 'crc64nvme', value: await computeChecksum('crc64nvme', form.file.body) },
  });
  ctx.emitCreated('ObjectCreated:Post', bucket, key, version);
  const headers: Record<string, string> = {
    etag: `"${version.etag}"`,
    location: `/${bucket}/${encodeURIComponent(key)}`,
    'x-amz-server-side-encryption': 'AES256',
  };
  if (info.versioning) headers['x-amz-version-id'] = version.versionId;
  const status = Number(fields.get('success_action_status') ?? 204);
  return { status: [200, 201, 204].includes(status) ? status : 204, headers };
}
