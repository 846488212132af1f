// Step Functions' rule: 1-80 characters, none of whitespace, < > { } [ ] ? * " # % \ ^ | ~ ` $ & , ; : / or control
// characters; non-ASCII is allowed. The console must accept every name the service accepts.
const EXECUTION_NAME = /^[^\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]{1,80}$/u;

/** True when the value is a legal Step Functions execution name. */
export function isExecutionName(value: string): boolean {
  return EXECUTION_NAME.test(value);
}

/** Pipeline execution names (`img-<imageId>-<revision>[-…]`) and execution ARNs are spelled by the contracts package. */
export { executionArnFor, parseExecutionName } from '@smart-image-pipeline/contracts';

/** A fresh, legal name for re-running an execution: the original name plus a time suffix, cut to 80 characters. */
export function rerunName(original: string, now: Date): string {
  const suffix = `-rerun-${now.getTime().toString(36)}`;
  // Cut by code point, so a non-ASCII name never loses half a surrogate pair.
  return `${Array.from(original)
    .slice(0, 80 - suffix.length)
    .join('')}${suffix}`;
}
