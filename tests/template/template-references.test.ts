import { loadTemplate, Template } from './support/template';

const PSEUDO_PARAMETERS = new Set([
  'AWS::AccountId',
  'AWS::NotificationARNs',
  'AWS::NoValue',
  'AWS::Partition',
  'AWS::Region',
  'AWS::StackId',
  'AWS::StackName',
  'AWS::URLSuffix',
]);

/** Resources that SAM generates from the Serverless resources, which the template may reference. */
function samGeneratedIds(template: Template): Set<string> {
  const ids = new Set<string>();
  for (const [id, resource] of Object.entries(template.Resources)) {
    if (resource.Type === 'AWS::Serverless::Function' || resource.Type === 'AWS::Serverless::StateMachine') {
      ids.add(`${id}Role`);
    }
    // With AutoPublishAlias, SAM lets `!Ref <Function>.Version` and `.Alias` name the version and alias it creates.
    if (resource.Type === 'AWS::Serverless::Function' && resource.Properties?.AutoPublishAlias) {
      ids.add(`${id}.Version`);
      ids.add(`${id}.Alias`);
    }
  }
  return ids;
}

interface Reference {
  kind: 'Ref' | 'GetAtt' | 'Sub' | 'Condition' | 'DependsOn';
  target: string;
  at: string;
}

/** Walks the template and lists every name it refers to, with where the reference is. */
function collectReferences(template: Template): Reference[] {
  const found: Reference[] = [];
  const visit = (node: unknown, at: string, subVariables: Set<string>): void => {
    if (Array.isArray(node)) {
      node.forEach((item, index) => visit(item, `${at}[${index}]`, subVariables));
      return;
    }
    if (node === null || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
      const here = `${at}.${key}`;
      if (key === 'Ref' && typeof value === 'string') {
        found.push({ kind: 'Ref', target: value, at: here });
      } else if (key === 'Fn::GetAtt') {
        const target = Array.isArray(value) ? String(value[0]) : String(value).split('.')[0];
        found.push({ kind: 'GetAtt', target, at: here });
      } else if (key === 'Fn::Sub') {
        const [text, variables] = Array.isArray(value) ? [value[0] as string, value[1] ?? {}] : [value as string, {}];
        const local = new Set(Object.keys(variables as object));
        for (const match of text.matchAll(/\$\{([^!}][^}]*)\}/g)) {
          const name = match[1].split('.')[0];
          if (!local.has(name)) found.push({ kind: 'Sub', target: name, at: here });
        }
        visit(variables, here, local);
      } else if (key === 'Fn::If' && Array.isArray(value)) {
        found.push({ kind: 'Condition', target: String(value[0]), at: here });
        value.slice(1).forEach((branch, index) => visit(branch, `${here}[${index + 1}]`, subVariables));
      } else {
        visit(value, here, subVariables);
      }
    }
  };
  visit(template.Resources, 'Resources', new Set());
  visit(template.Outputs, 'Outputs', new Set());
  visit(template.Globals, 'Globals', new Set());
  visit(template.Conditions ?? {}, 'Conditions', new Set());
  for (const [id, resource] of Object.entries(template.Resources) as [string, any][]) {
    if (resource.Condition) found.push({ kind: 'Condition', target: resource.Condition, at: `Resources.${id}.Condition` });
    for (const dependency of [resource.DependsOn ?? []].flat()) {
      found.push({ kind: 'DependsOn', target: dependency, at: `Resources.${id}.DependsOn` });
    }
  }
  return found;
}

/** The references whose target the template does not define. */
function danglingReferences(template: Template): Reference[] {
  const resources = new Set([...Object.keys(template.Resources), ...samGeneratedIds(template)]);
  const parameters = new Set(Object.keys(template.Parameters ?? {}));
  const conditions = new Set(Object.keys(template.Conditions ?? {}));
  return collectReferences(template).filter(({ kind, target }) => {
    switch (kind) {
      case 'Ref':
      case 'Sub':
        return !(resources.has(target) || parameters.has(target) || PSEUDO_PARAMETERS.has(target));
      case 'GetAtt':
      case 'DependsOn':
        return !resources.has(target);
      case 'Condition':
        return !conditions.has(target);
    }
  });
}

describe('template references', () => {
  it('defines the target of every Ref, GetAtt, Sub variable, condition and dependency', () => {
    // Prepare
    const template = loadTemplate();

    // Act
    const references = collectReferences(template);
    const dangling = danglingReferences(template);

    // Assess
    expect(references.length).toBeGreaterThan(50);
    expect(dangling).toEqual([]);
  });

  it('reports a reference to a resource that does not exist', () => {
    // Prepare
    const template = loadTemplate();
    template.Resources.ResizeImageFunction.Properties!.Environment.Variables.PROCESSED_BUCKET_NAME = {
      'Fn::Sub': '${ProcesedBucket}',
    };
    template.Outputs.Broken = { Value: { 'Fn::GetAtt': ['NoSuchTable', 'Arn'] } };

    // Act
    const dangling = danglingReferences(template).map(({ kind, target }) => `${kind}:${target}`);

    // Assess
    expect(dangling).toEqual(['Sub:ProcesedBucket', 'GetAtt:NoSuchTable']);
  });

  it('uses every parameter somewhere', () => {
    // Prepare
    const template = loadTemplate();

    // Act
    const used = new Set(collectReferences(template).map(({ target }) => target));
    const unused = Object.keys(template.Parameters).filter((name) => !used.has(name));

    // Assess
    expect(unused).toEqual([]);
  });
});
