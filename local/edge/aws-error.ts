/**
 * An error of an emulated AWS API, in the one shape every local service throws: the code clients match
 * (`NoSuchKey`, `ParameterNotFound`, `ExecutionAlreadyExists`), the HTTP status, the message, the extra fields the
 * service puts in its error document (S3's `<Key>`, Lambda's `Type`) and extra response headers
 * (S3's `x-amz-delete-marker`). Each wire protocol serialises it (local/edge/protocols), so the AWS SDK and CLI raise
 * the same named exception as against the cloud.
 */
export class AwsServiceError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly extra: Readonly<Record<string, string>> = {},
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    // As the SDK names its exceptions, so logs and `rejects.toMatchObject({ name })` read the same in both modes.
    this.name = code;
  }

  /** The same error with more response headers. */
  withHeaders(headers: Record<string, string>): AwsServiceError {
    return new AwsServiceError(this.code, this.status, this.message, this.extra, { ...this.headers, ...headers });
  }
}
