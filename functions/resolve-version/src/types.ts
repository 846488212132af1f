/** ResolveVersion's input: the execution input, of which only `pipelineVersion` (optional) is read. */
export interface ResolveVersionInput {
  readonly pipelineVersion?: string;
}

/** ResolveVersion's output (the state machine keeps it at `$.resolvedVersion`). */
export interface ResolvedVersion {
  name: string;
  fingerprint: string;
  variantWidths: number[];
}
