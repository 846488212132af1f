import { isObject } from '@smart-image-pipeline/contracts';
import { InvalidCustomResourceEventError } from './errors';

/** What the console reads from config.json (console/web/config.ts). */
export interface SiteConfig {
  apiUrl: string;
  region: string;
  userPoolId: string;
  userPoolClientId: string;
  authDomainUrl: string;
}

/** A CloudFormation custom-resource request, as this resource uses it. */
export interface WebDeploymentRequest {
  requestType: 'Create' | 'Update' | 'Delete';
  responseUrl: string;
  stackId: string;
  requestId: string;
  logicalResourceId: string;
  physicalResourceId?: string;
  /** Absent on Delete, which needs none. */
  config?: SiteConfig;
}

const HTTPS_URL = /^https:\/\/[A-Za-z0-9.-]+(?::\d+)?(?:\/[^\s]*)?$/;
const CHECKS: Record<keyof SiteConfig, RegExp> = {
  apiUrl: HTTPS_URL,
  region: /^[a-z]{2}(-[a-z]+)+-\d$/,
  userPoolId: /^[a-z]{2}(-[a-z]+)+-\d_[A-Za-z0-9]+$/,
  userPoolClientId: /^[a-z0-9]{1,128}$/,
  authDomainUrl: HTTPS_URL,
};

/** Checks the Config property: every field present, in the shape the console expects. @throws InvalidCustomResourceEventError. */
export function parseSiteConfig(value: unknown): SiteConfig {
  if (!isObject(value)) throw new InvalidCustomResourceEventError('ResourceProperties.Config must be an object');
  const problems = (Object.keys(CHECKS) as Array<keyof SiteConfig>).filter(
    (key) => typeof value[key] !== 'string' || !CHECKS[key].test(value[key] as string),
  );
  if (problems.length > 0)
    throw new InvalidCustomResourceEventError(`ResourceProperties.Config has missing or malformed ${problems.join(', ')}`);
  return Object.fromEntries((Object.keys(CHECKS) as Array<keyof SiteConfig>).map((key) => [key, value[key]])) as unknown as SiteConfig;
}

/**
 * Reads a CloudFormation custom-resource request. A malformed Config is reported through `configError` (so the
 * request can still be answered FAILED); only an event that cannot be answered at all throws.
 * @throws InvalidCustomResourceEventError when there is no ResponseURL or request type.
 */
export function parseWebDeploymentRequest(event: unknown): WebDeploymentRequest & { configError?: Error } {
  if (!isObject(event) || typeof event.ResponseURL !== 'string' || !/^https?:\/\//.test(event.ResponseURL))
    throw new InvalidCustomResourceEventError('Not a CloudFormation custom-resource request: no ResponseURL');
  if (event.RequestType !== 'Create' && event.RequestType !== 'Update' && event.RequestType !== 'Delete')
    throw new InvalidCustomResourceEventError('Not a CloudFormation custom-resource request: RequestType must be Create, Update or Delete');
  const base: WebDeploymentRequest = {
    requestType: event.RequestType,
    responseUrl: event.ResponseURL,
    stackId: String(event.StackId ?? ''),
    requestId: String(event.RequestId ?? ''),
    logicalResourceId: String(event.LogicalResourceId ?? ''),
    physicalResourceId: typeof event.PhysicalResourceId === 'string' ? event.PhysicalResourceId : undefined,
  };
  if (base.requestType === 'Delete') return base;
  try {
    return { ...base, config: parseSiteConfig(isObject(event.ResourceProperties) ? event.ResourceProperties.Config : undefined) };
  } catch (error) {
    return { ...base, configError: error as Error };
  }
}

/** The answer CloudFormation reads from the ResponseURL. */
export interface CustomResourceResponse {
  Status: 'SUCCESS' | 'FAILED';
  Reason: string;
  PhysicalResourceId: string;
  StackId: string;
  RequestId: string;
  LogicalResourceId: string;
  Data?: Record<string, string>;
}

/**
 * Sends the answer to the presigned ResponseURL (a PUT with an empty content type, as CloudFormation expects).
 * @throws Error when the answer could not be delivered.
 */
export async function sendResponse(url: string, response: CustomResourceResponse, put: typeof fetch = fetch): Promise<void> {
  const body = JSON.stringify(response);
  const answer = await put(url, {
    method: 'PUT',
    headers: { 'content-type': '', 'content-length': String(Buffer.byteLength(body)) },
    body,
  });
  if (!answer.ok) throw new Error(`CloudFormation's ResponseURL answered ${answer.status}`);
}
