import { TemplateResolutionError } from './errors';
import type { ResourceIdentity } from './physical-names';
import type { PseudoParameters } from './types';

/** Marks a value removed with `AWS::NoValue`, so the caller drops the key or list item. */
export const NO_VALUE = Symbol('AWS::NoValue');

/** What the intrinsic functions can look up: parameters, conditions and resources. */
export interface ResolveScope {
  pseudo: PseudoParameters;
  parameters: Record<string, unknown>;
  conditions: Record<string, unknown>;
  identities: Record<string, ResourceIdentity>;
  /** Attributes whose value depends on resolved properties (e.g. an SSM parameter's Value). */
  resolveAttribute?: (logicalId: string, attribute: string) => unknown;
}

/**
 * Resolves CloudFormation intrinsic functions (Ref, GetAtt, Sub, Join, Select, Split, If, Equals, Not, And, Or,
 * FindInMap, Base64, GetAZs) against local names, recursively.
 * @throws TemplateResolutionError for an unknown function, parameter or resource.
 */
export function resolveValue(value: unknown, scope: ResolveScope, conditionCache: Map<string, boolean> = new Map()): unknown {
  const resolve = (v: unknown): unknown => resolveValue(v, scope, conditionCache);
  if (Array.isArray(value)) return value.map(resolve).filter((v) => v !== NO_VALUE);
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 1) {
    const [fn, arg] = entries[0];
    switch (fn) {
      case 'Ref':
        return ref(String(arg), scope);
      case 'Fn::GetAtt': {
        const [id, ...attr] = Array.isArray(arg) ? (arg as unknown[]).map((a) => String(resolve(a))) : String(arg).split('.');
        return getAtt(id, attr.join('.'), scope);
      }
      case 'Fn::Sub':
        return sub(arg, scope, resolve);
      case 'Fn::Join': {
        const [sep, list] = arg as [string, unknown];
        return (resolve(list) as unknown[]).map(String).join(sep);
      }
      case 'Fn::Select': {
        const [index, list] = arg as [unknown, unknown];
        return (resolve(list) as unknown[])[Number(resolve(index))];
      }
      case 'Fn::Split': {
        const [sep, text] = arg as [string, unknown];
        return String(resolve(text)).split(sep);
      }
      case 'Fn::If': {
        const [name, whenTrue, whenFalse] = arg as [string, unknown, unknown];
        return resolve(condition(name, scope, conditionCache) ? whenTrue : whenFalse);
      }
      case 'Fn::Equals': {
        const [a, b] = (arg as unknown[]).map(resolve);
        return String(a) === String(b);
      }
      case 'Fn::Not':
        return !truthy(resolve((arg as unknown[])[0]), scope, conditionCache);
      case 'Fn::And':
        return (arg as unknown[]).every((c) => truthy(resolve(c), scope, conditionCache));
      case 'Fn::Or':
        return (arg as unknown[]).some((c) => truthy(resolve(c), scope, conditionCache));
      case 'Condition':
        return condition(String(arg), scope, conditionCache);
      case 'Fn::Base64':
        return Buffer.from(String(resolve(arg))).toString('base64');
      case 'Fn::GetAZs':
        return ['a', 'b', 'c'].map((z) => `${scope.pseudo.region}${z}`);
      case 'Fn::ToJsonString':
        return JSON.stringify(resolve(arg));
      default:
        if (fn.startsWith('Fn::')) throw new TemplateResolutionError(`Local mode does not support ${fn}`);
    }
  }
  const out: Record<string, unknown> = {};
  for (const [key, v] of entries) {
    const resolved = resolve(v);
    if (resolved !== NO_VALUE) out[key] = resolved;
  }
  return out;
}

/**
 * Evaluates a named condition of the template's Conditions section.
 * @throws TemplateResolutionError when the condition does not exist.
 */
export function condition(name: string, scope: ResolveScope, cache: Map<string, boolean> = new Map()): boolean {
  const cached = cache.get(name);
  if (cached !== undefined) return cached;
  if (!(name in scope.conditions)) throw new TemplateResolutionError(`Unknown condition ${name}`);
  const result = Boolean(resolveValue(scope.conditions[name], scope, cache));
  cache.set(name, result);
  return result;
}

function truthy(value: unknown, scope: ResolveScope, cache: Map<string, boolean>): boolean {
  return typeof value === 'string' && value in scope.conditions ? condition(value, scope, cache) : Boolean(value);
}

function ref(name: string, scope: ResolveScope): unknown {
  const { pseudo } = scope;
  switch (name) {
    case 'AWS::Region':
      return pseudo.region;
    case 'AWS::AccountId':
      return pseudo.accountId;
    case 'AWS::StackName':
      return pseudo.stackName;
    case 'AWS::Partition':
      return pseudo.partition;
    case 'AWS::URLSuffix':
      return 'amazonaws.com';
    case 'AWS::StackId':
      return `arn:${pseudo.partition}:cloudformation:${pseudo.region}:${pseudo.accountId}:stack/${pseudo.stackName}/local`;
    case 'AWS::NoValue':
      return NO_VALUE;
    case 'AWS::NotificationARNs':
      return [];
  }
  if (name in scope.parameters) return scope.parameters[name];
  const identity = scope.identities[name];
  if (identity) return identity.ref;
  throw new TemplateResolutionError(`Ref to unknown parameter or resource ${name}`);
}

function getAtt(logicalId: string, attribute: string, scope: ResolveScope): unknown {
  const computed = scope.resolveAttribute?.(logicalId, attribute);
  if (computed !== undefined) return computed;
  const identity = scope.identities[logicalId];
  if (!identity) throw new TemplateResolutionError(`GetAtt on unknown resource ${logicalId}`);
  if (!(attribute in identity.attributes)) throw new TemplateResolutionError(`Local mode does not know ${logicalId}.${attribute}`);
  return identity.attributes[attribute];
}

function sub(arg: unknown, scope: ResolveScope, resolve: (v: unknown) => unknown): string {
  const [template, vars] = Array.isArray(arg) ? (arg as [string, Record<string, unknown>]) : [String(arg), {}];
  const locals = Object.fromEntries(Object.entries(vars ?? {}).map(([k, v]) => [k, resolve(v)]));
  return template.replace(/\$\{(!?)([^}]+)\}/g, (_match, literal: string, name: string) => {
    if (literal) return `\${${name}}`;
    const key = name.trim();
    if (key in locals) return String(locals[key]);
    if (key.includes('.') && !key.startsWith('AWS::')) {
      const dot = key.indexOf('.');
      return String(getAtt(key.slice(0, dot), key.slice(dot + 1), scope));
    }
    return String(ref(key, scope));
  });
}
