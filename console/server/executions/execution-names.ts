// Step Functions' rule: 1-80 characters, none of whitespace, < > { } [ ] ? * " # % \ ^ | ~ ` $ & , ; : / or control
// characters; non-ASCII is allowed. The console must accept every name the service accepts.
const EXECUTION_NAME = /^[^\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]{1,80}$/u;
const IMAGE_EXECUTION = /^img-([0-9a-f]{32})-([0-9a-f]{16})/;

/** True when the value is a legal Step Functions execution name. */
export function isExecutionName(value: string): boolean {
  return EXECUTION_NAME.test(value);
}

/** The imageId and revision encoded in a pipeline execution name (`img-<imageId>-<revision>[-…]`). */
export function parseExecutionName(name: string): { imageId: string; revision: string } | undefined {
  const match = IMAGE_EXECUTION.exec(name);
  return match ? { imageId: match[1], revision: match[2] } : undefined;
}

/** The ARN of an execution of the state machine: `arn:…:stateMachine:<sm>` becomes `arn:…:execution:<sm>:<name>`. */
export function executionArnFor(stateMachineArn: string, name: string): string {
  return `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
}

/** A fresh, legal name for re-running an execution: the original name plus a time suffix, cut to 80 characters. */
export function rerunName(original: string, now: Date): string {
  const suffix = `-rerun-${now.getTime().toString(36)}`;
  // Cut by code point, so a non-ASCII name never loses half a surrogate pair.
  return `${Array.from(original).slice(0, 80 - suffix.length).join('')}${suffix}`;
}
