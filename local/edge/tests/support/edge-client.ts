/** Credentials for SDK clients in tests: the local edge does not check them, but the SDK needs some to sign. */
export const TEST_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

/**
 * SDK client options for a test against a local endpoint (the edge, or a service's own server): its URL, us-east-1,
 * test credentials and a single attempt, so the test sees the service's first answer rather than the SDK's retry of it.
 */
export function edgeClientConfig(edgeUrl: string) {
  return { endpoint: edgeUrl, region: 'us-east-1', maxAttempts: 1, credentials: TEST_CREDENTIALS };
}
