import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { yamlParse } from 'yaml-cfn';

const repoRoot = join(__dirname, '..', '..', '..');

/** The parsed template.yaml (short-form intrinsics in their long form). */
export const template = yamlParse(readFileSync(join(repoRoot, 'template.yaml'), 'utf8')) as {
  Parameters: Record<string, { Default?: unknown }>;
  Globals: { Function: { Environment: { Variables: Record<string, unknown> } } };
  Resources: Record<string, { Type: string; Properties: Record<string, any> }>;
};

/** The pseudo parameters of the stack the tests pretend to run in. */
export const STACK = { 'AWS::Partition': 'aws', 'AWS::Region': 'us-east-1', 'AWS::AccountId': '123456789012', 'AWS::StackName': 'smart-image-pipeline' };

function resolveName(name: string, physicalNames: Record<string, string>): string {
  if (name in STACK) return STACK[name as keyof typeof STACK];
  if (name in physicalNames) return physicalNames[name];
  const parameter = template.Parameters[name];
  if (parameter !== undefined) return String(parameter.Default ?? '');
  throw new Error(`cannot resolve ${name}`);
}

/**
 * Resolves a template value as CloudFormation would for a stack deployed with default parameters:
 * parameters become their defaults, resources the physical names given here (Ref and string Fn::Sub).
 * @throws Error when the value uses an intrinsic or a name the tests have no value for.
 */
export function resolveValue(value: unknown, physicalNames: Record<string, string>): string {
  if (typeof value === 'string' || typeof value === 'number') return String(value);
  const { Ref: ref, 'Fn::Sub': sub } = value as { Ref?: string; 'Fn::Sub'?: unknown };
  if (ref !== undefined) return resolveName(ref, physicalNames);
  if (typeof sub === 'string') return sub.replace(/\$\{([^}]+)\}/g, (_match, name: string) => resolveName(name, physicalNames));
  throw new Error(`cannot resolve ${JSON.stringify(value)}`);
}

/**
 * The environment a function gets from template.yaml (Globals merged with its own), so the handlers
 * run with the variables the stack would give them.
 */
export function functionEnvironment(logicalId: string, physicalNames: Record<string, string>): Record<string, string> {
  const variables = {
    ...template.Globals.Function.Environment.Variables,
    ...template.Resources[logicalId].Properties.Environment.Variables,
  };
  return Object.fromEntries(Object.entries(variables).map(([name, value]) => [name, resolveValue(value, physicalNames)]));
}
