import { AwsServiceError } from './aws-error';
import type { EdgeRequest } from './types';

/** Parsed LOCAL_FAULTS switches; every field absent means "no fault". */
export interface FaultConfig {
  /** Share (0..1) of DynamoDB write calls answered with ProvisionedThroughputExceededException. */
  dynamodbWrite?: number;
  /** Delay in milliseconds added before every S3 request. */
  s3SlowMs?: number;
  /** Share (0..1) of Rekognition calls answered with ThrottlingException. */
  rekognitionThrottle?: number;
  /** Share (0..1) of SES SendEmail calls refused with MessageRejected (as SES refuses, e.g., a sandbox recipient). */
  sesReject?: number;
}

/** A LOCAL_FAULTS entry that cannot be understood; refusing it beats silently testing nothing. */
export class InvalidFaultSpecError extends Error {
  name = 'InvalidFaultSpecError';
}

const DYNAMODB_WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems']);

/**
 * Parses e.g. "dynamodb.write=0.1,s3.slow=200ms,rekognition.throttle=0.3,ses.reject=1".
 * @throws InvalidFaultSpecError for an unknown switch or a value out of range.
 */
export function parseFaults(spec: string | undefined): FaultConfig {
  const config: FaultConfig = {};
  for (const entry of (spec ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)) {
    const [name, raw = ''] = entry.split('=', 2).map((part) => part.trim());
    if (name === 'dynamodb.write') config.dynamodbWrite = share(name, raw);
    else if (name === 'rekognition.throttle') config.rekognitionThrottle = share(name, raw);
    else if (name === 's3.slow') config.s3SlowMs = milliseconds(name, raw);
    else if (name === 'ses.reject') config.sesReject = share(name, raw);
    else throw new InvalidFaultSpecError(`unknown fault "${name}" (known: dynamodb.write, s3.slow, rekognition.throttle, ses.reject)`);
  }
  return config;
}

function share(name: string, raw: string): number {
  const value = Number(raw);
  if (raw === '' || !Number.isFinite(value) || value < 0 || value > 1) {
    throw new InvalidFaultSpecError(`${name} needs a share between 0 and 1, got "${raw}"`);
  }
  return value;
}

function milliseconds(name: string, raw: string): number {
  const match = /^(\d+)(ms|s)?$/.exec(raw);
  if (!match) throw new InvalidFaultSpecError(`${name} needs a duration like 200ms or 2s, got "${raw}"`);
  return Number(match[1]) * (match[2] === 's' ? 1000 : 1);
}

/**
 * Applies the configured faults to one request: resolves to the error to answer instead (in the service's own
 * protocol), or undefined to go on.
 */
export async function applyFaults(
  config: FaultConfig,
  req: EdgeRequest,
  random: () => number = Math.random,
): Promise<AwsServiceError | undefined> {
  const target = req.target ?? '';
  if (config.dynamodbWrite && target.startsWith('DynamoDB_20120810.')) {
    const operation = target.slice('DynamoDB_20120810.'.length);
    if (DYNAMODB_WRITES.has(operation) && random() < config.dynamodbWrite) {
      return new AwsServiceError('ProvisionedThroughputExceededException', 400, 'Injected by LOCAL_FAULTS dynamodb.write');
    }
  }
  if (config.rekognitionThrottle && target.startsWith('RekognitionService.') && random() < config.rekognitionThrottle) {
    return new AwsServiceError('ThrottlingException', 400, 'Injected by LOCAL_FAULTS rekognition.throttle');
  }
  if (config.sesReject && req.method === 'POST' && req.url.pathname === '/v2/email/outbound-emails' && random() < config.sesReject) {
    return new AwsServiceError('MessageRejected', 400, 'Injected by LOCAL_FAULTS ses.reject');
  }
  if (config.s3SlowMs && req.signingService === 's3') {
    await new Promise((resolve) => setTimeout(resolve, config.s3SlowMs));
  }
  return undefined;
}
