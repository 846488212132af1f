import { readFileSync } from 'node:fs';
import { yamlParse } from 'yaml-cfn';
import { NO_VALUE, resolveValue as resolveTemplateValue } from '../../local/template/intrinsics';
import { repoPath } from './paths';

/** One AWS::Serverless::Function as the bench needs it. */
export interface TemplateFunction {
  logicalId: string;
  codeUri: string;
  handler: string;
  memoryMb: number;
  timeoutSeconds: number;
  architecture: string;
  /** Plain-string environment variables (intrinsics are replaced by placeholders). */
  environment: Record<string, string>;
  /** Metadata.BuildMethod (`esbuild`, `makefile`, ...); undefined when sam build uses its default. */
  buildMethod?: string;
  build: { minify: boolean; target: string; sourcemap: boolean; entryPoints: string[]; external: string[] };
}

// CloudFormation YAML is untyped; the readers below check what they use.
type Node = Record<string, any>;

/** Parses template.yaml (CloudFormation tags included). */
export function loadTemplate(file = repoPath('template.yaml')): Node {
  return yamlParse(readFileSync(file, 'utf8')) as Node;
}

/** Resolves intrinsics (Ref, Sub, GetAtt, If, ...) with local mode's resolver: parameter defaults, `bench-<id>` resources. */
function resolveIntrinsic(template: Node, value: unknown): unknown {
  const identities = Object.fromEntries(
    Object.keys(template.Resources as Node).map((id) => [id, { ref: `bench-${id.toLowerCase()}`, attributes: {} }]),
  );
  const parameters = Object.fromEntries(Object.entries((template.Parameters ?? {}) as Node).map(([name, p]) => [name, p.Default ?? '']));
  return resolveTemplateValue(value, {
    pseudo: { region: 'us-east-1', accountId: '123456789012', stackName: 'bench', partition: 'aws' },
    parameters,
    conditions: template.Conditions ?? {},
    identities,
  });
}

/**
 * A plain value as is; an intrinsic resolved as a stack with default parameters would have it (resources as
 * `bench-<logical id>`), undefined for `AWS::NoValue`; a `*_ARN` variable that does not resolve to an ARN, or a value
 * that does not resolve, as a placeholder string.
 */
function resolveValue(template: Node, key: string, value: unknown): string | undefined {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  let resolved: unknown;
  try {
    resolved = resolveIntrinsic(template, value);
  } catch {
    // An attribute the resolver has no value for: the placeholder below.
  }
  if (resolved === NO_VALUE) return undefined;
  if (key.endsWith('_ARN') && !String(resolved).startsWith('arn:'))
    return `arn:aws:states:us-east-1:123456789012:stateMachine:bench-${key.toLowerCase()}`;
  if (typeof resolved === 'string' || typeof resolved === 'number' || typeof resolved === 'boolean') return String(resolved);
  return `bench-${key.toLowerCase().replace(/_/g, '-')}`;
}

/** Every serverless function with Globals applied: memory, timeout, environment and esbuild Metadata. */
export function templateFunctions(template: Node = loadTemplate()): TemplateFunction[] {
  const globals: Node = template.Globals?.Function ?? {};
  return Object.entries(template.Resources as Node)
    .filter(([, resource]) => resource.Type === 'AWS::Serverless::Function')
    .map(([logicalId, resource]) => {
      const props: Node = resource.Properties ?? {};
      const variables: Node = { ...(globals.Environment?.Variables ?? {}), ...(props.Environment?.Variables ?? {}) };
      const build: Node = resource.Metadata?.BuildProperties ?? {};
      return {
        logicalId,
        codeUri: String(props.CodeUri),
        handler: String(props.Handler ?? globals.Handler),
        memoryMb: Number(props.MemorySize ?? globals.MemorySize ?? 128),
        timeoutSeconds: Number(props.Timeout ?? globals.Timeout ?? 3),
        architecture: String((props.Architectures ?? globals.Architectures ?? ['x86_64'])[0]),
        environment: Object.fromEntries(
          Object.entries(variables).flatMap(([k, v]) => {
            const resolved = resolveValue(template, k, v);
            return resolved === undefined ? [] : [[k, resolved]];
          }),
        ),
        buildMethod: typeof resource.Metadata?.BuildMethod === 'string' ? resource.Metadata.BuildMethod : undefined,
        build: {
          minify: build.Minify !== false,
          target: String(build.Target ?? 'es2020'),
          sourcemap: Boolean(build.Sourcemap),
          entryPoints: (build.EntryPoints as string[] | undefined) ?? ['app.ts'],
          external: (build.External as string[] | undefined) ?? [],
        },
      };
    });
}

/**
 * The value the stack deploys for the pipeline config: the first AWS::SSM::Parameter's Value, a plain string or a
 * Ref to a template parameter's Default (samconfig.toml's [default] sets no override for it; [local] is local only).
 */
export function templateConfigParameter(template: Node = loadTemplate()): string | undefined {
  const parameter = Object.values(template.Resources as Node).find((r: Node) => r.Type === 'AWS::SSM::Parameter');
  const value: unknown = parameter?.Properties?.Value;
  if (value === undefined) return undefined;
  const resolved = resolveValue(template, 'PipelineConfig', value);
  return resolved === undefined || resolved.startsWith('bench-') ? undefined : resolved;
}

/** The state machine's ASL file named by DefinitionUri. */
export function templateStateMachineFile(template: Node = loadTemplate()): string {
  const machine = Object.values(template.Resources as Node).find((r: Node) => r.Type === 'AWS::Serverless::StateMachine');
  return repoPath(String(machine?.Properties?.DefinitionUri ?? 'statemachine/image-pipeline.asl.json'));
}

/** The environment of one function by logical id (intrinsics resolved as templateFunctions does).
 * @throws Error when the template has no such function. */
export function functionEnvironment(logicalId: string): Record<string, string> {
  const fn = templateFunctions().find((f) => f.logicalId === logicalId);
  if (!fn) throw new Error(`template.yaml has no ${logicalId}`);
  return fn.environment;
}
