/**
 * Named errors. Each `name` is the string the state machine's `ErrorEquals` matches, so none of them
 * is retried by accident: they all mean "this input or this configuration will not work on a retry".
 */

/** Rekognition refused the analysis image (format, size, or S3 object); retrying cannot help. */
export class InvalidAnalysisImageError extends Error {
  public override readonly name = 'InvalidAnalysisImageError';
}

/** The SSM config parameter is missing, not JSON, or holds a value outside its range. */
export class InvalidConfigError extends Error {
  public override readonly name = 'InvalidConfigError';
}

/** The state input does not have the AnalyseImage shape: a wiring bug in the state machine. */
export class InvalidAnalysisInputError extends Error {
  public override readonly name = 'InvalidAnalysisInputError';
}

/** Required environment variables are missing at cold start. */
export class MissingEnvironmentError extends Error {
  public override readonly name = 'MissingEnvironmentError';
}
