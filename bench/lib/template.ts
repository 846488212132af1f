import { readFileSync } from 'node:fs';
import { yamlParse } from 'yaml-cfn';
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
  build: { minify: boolean; target: string; sourcemap: boolean; entryPoints: string[]; external: string[] };
}

// CloudFormation YAML is untyped; the readers below check what they use.
type Node = Record<string, any>;

/** Parses template.yaml (CloudFormation tags included). */
export function loadTemplate(file = repoPath('template.yaml')): Node {
  return yamlParse(readFileSync(file, 'utf8')) as Node;
}

/** A plain value as is, a Ref to a parameter as its Default, any other intrinsic as a placeholder string. */
function resolveValue(template: Node, key: string, value: unknown): string {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  const ref = (value as Node | null)?.Ref;
  const fallback = typeof ref === 'string' ? template.Parameters?.[ref]?.Default : undefined;
  if (fallback !== undefined) return String(fallback);
  return key.endsWith('_ARN')
    ? `arn:aws:states:us-east-1:123456789012:stateMachine:bench-${key.toLowerCase()}`
    : `bench-${key.toLowerCase().replace(/_/g, '-')}`;
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
        environment: Object.fromEntries(Object.entries(variables).map(([k, v]) => [k, resolveValue(template, k, v)])),
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
  return resolved.startsWith('bench-') ? undefined : resolved;
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
