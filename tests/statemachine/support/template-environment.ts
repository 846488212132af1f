import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { yamlParse } from 'yaml-cfn';
import { resolveValue as resolveTemplateValue } from '../../../local/template/intrinsics';
import type { PseudoParameters } from '../../../local/template/types';

const repoRoot = join(__dirname, '..', '..', '..');

/** The parsed template.yaml (short-form intrinsics in their long form). */
export const template = yamlParse(readFileSync(join(repoRoot, 'template.yaml'), 'utf8')) as {
  Parameters: Record<string, { Default?: unknown }>;
  Conditions?: Record<string, unknown>;
  Globals: { Function: { Environment: { Variables: Record<string, unknown> } } };
  Resources: Record<string, { Type: string; Properties: Record<string, any> }>;
};

/** The pseudo parameters of the stack the tests pretend to run in. */
export const STACK: PseudoParameters = {
  partition: 'aws',
  region: 'us-east-1',
  accountId: '123456789012',
  stackName: 'smart-image-pipeline',
};

/**
 * Resolves a template value as CloudFormation would for a stack deployed with default parameters, with local mode's
 * resolver: parameters become their defaults, resources the physical names given here (their Ref; an ARN-less
 * stand-in for attributes, which the function environments do not use).
 * @throws TemplateResolutionError when the value names a resource the tests have no name for.
 */
export function resolveValue(value: unknown, physicalNames: Record<string, string>): string {
  const identities = Object.fromEntries(Object.entries(physicalNames).map(([id, name]) => [id, { ref: name, attributes: {} }]));
  const parameters = Object.fromEntries(Object.entries(template.Parameters).map(([name, p]) => [name, p.Default ?? '']));
  return String(resolveTemplateValue(value, { pseudo: STACK, parameters, conditions: template.Conditions ?? {}, identities }));
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
