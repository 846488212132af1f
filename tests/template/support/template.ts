import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { yamlParse } from 'yaml-cfn';

/** The repository root, where template.yaml and statemachine/ live. */
export const repoRoot = join(__dirname, '..', '..', '..');

/** A CloudFormation resource as parsed from template.yaml. */
export interface Resource {
  Type: string;
  Properties?: Record<string, any>;
  Metadata?: Record<string, any>;
  Condition?: string;
  DependsOn?: string | string[];
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
}

/** The parts of template.yaml that the tests read. */
export interface Template {
  Parameters: Record<string, any>;
  Conditions?: Record<string, any>;
  Globals: { Function: Record<string, any> };
  Resources: Record<string, Resource>;
  Outputs: Record<string, any>;
}

/** An IAM policy statement, as written in the template. */
export interface Statement {
  Effect: 'Allow' | 'Deny';
  Action: string | string[];
  Resource: unknown;
  Sid?: string;
}

/** Reads template.yaml with yaml-cfn, so short-form intrinsics (!Ref, !Sub…) become their long form. */
export function loadTemplate(): Template {
  return yamlParse(readFileSync(join(repoRoot, 'template.yaml'), 'utf8')) as Template;
}

/** Reads a file below the repository root as UTF-8 text. */
export function readRepoFile(relativePath: string): string {
  return readFileSync(join(repoRoot, relativePath), 'utf8');
}

/** The state machine definition as stored, placeholders and all. */
export function loadAslText(): string {
  return readRepoFile('statemachine/image-pipeline.asl.json');
}

/** The `${Name}` placeholders of a DefinitionUri file, in order of first appearance. */
export function placeholdersIn(text: string): string[] {
  return [...new Set([...text.matchAll(/\$\{([A-Za-z0-9_]+)\}/g)].map((match) => match[1]))];
}

/** Replaces every `${Name}` placeholder with the value returned for it. */
export function substitute(text: string, valueOf: (name: string) => string): string {
  return text.replace(/\$\{([A-Za-z0-9_]+)\}/g, (_match, name: string) => valueOf(name));
}

/** The resources of one type, keyed by logical ID. */
export function resourcesOfType(template: Template, type: string): Record<string, Resource> {
  return Object.fromEntries(Object.entries(template.Resources).filter(([, resource]) => resource.Type === type));
}

/** Every `{ Statement: [...] }` policy document in a SAM `Policies` list, both branches of an `Fn::If` included. */
export function inlineStatements(policies: unknown[] | undefined): Statement[] {
  const statements: Statement[] = [];
  const visit = (policy: any): void => {
    if (policy === null || typeof policy !== 'object') return;
    if (Array.isArray(policy['Fn::If'])) {
      policy['Fn::If'].slice(1).forEach(visit);
      return;
    }
    if (Array.isArray(policy.Statement)) statements.push(...(policy.Statement as Statement[]));
  };
  (policies ?? []).forEach(visit);
  return statements;
}

/** The names of the SAM policy templates (e.g. S3ReadPolicy) used in a `Policies` list. */
export function policyTemplateNames(policies: unknown[] | undefined): string[] {
  return (policies ?? [])
    .filter((policy): policy is Record<string, unknown> => typeof policy === 'object' && policy !== null)
    .flatMap((policy) => Object.keys(policy))
    .filter((key) => key !== 'Statement' && key !== 'Version' && key !== 'Fn::If');
}

/** Turns a one-or-many value into an array. */
export function asArray<T>(value: T | T[]): T[] {
  return Array.isArray(value) ? value : [value];
}
