/** A state placed on the graph grid. */
export interface GraphNode {
  name: string;
  type: string;
  layer: number;
  column: number;
}

/** A transition between two states; `kind` tells the drawing how to style it. */
export interface GraphEdge {
  from: string;
  to: string;
  kind: 'next' | 'choice' | 'default' | 'catch';
  label?: string;
}

interface AslState {
  Type?: string;
  Next?: string;
  Default?: string;
  Choices?: Array<{ Next?: string }>;
  Catch?: Array<{ Next?: string; ErrorEquals?: string[] }>;
}

/** The transitions of a top-level ASL definition, in the order they appear. */
export function aslEdges(definition: { States?: Record<string, AslState> }): GraphEdge[] {
  const edges: GraphEdge[] = [];
  for (const [name, state] of Object.entries(definition.States ?? {})) {
    if (state.Next) edges.push({ from: name, to: state.Next, kind: 'next' });
    for (const choice of state.Choices ?? []) if (choice.Next) edges.push({ from: name, to: choice.Next, kind: 'choice' });
    if (state.Default) edges.push({ from: name, to: state.Default, kind: 'default', label: 'default' });
    for (const handler of state.Catch ?? []) if (handler.Next) edges.push({ from: name, to: handler.Next, kind: 'catch', label: (handler.ErrorEquals ?? []).join(', ') });
  }
  return edges.filter((edge) => definition.States?.[edge.to] !== undefined);
}

/**
 * Places states in layers by their longest path from StartAt (back edges ignored), and in columns by the
 * order they are reached, so the happy path runs straight down and failure branches sit beside it.
 */
export function layoutAsl(definition: { StartAt?: string; States?: Record<string, AslState> }): { nodes: GraphNode[]; edges: GraphEdge[] } {
  const states = definition.States ?? {};
  const edges = aslEdges(definition);
  const names = Object.keys(states);
  const start = definition.StartAt && states[definition.StartAt] ? definition.StartAt : names[0];
  const order: string[] = [];
  const backEdges = new Set<GraphEdge>();
  const visiting = new Set<string>();
  const done = new Set<string>();
  const visit = (name: string): void => {
    visiting.add(name);
    order.push(name);
    // Non-catch edges first, so the happy path is reached (and placed) before the failure branches.
    const outgoing = edges.filter((edge) => edge.from === name).sort((a, b) => Number(a.kind === 'catch') - Number(b.kind === 'catch'));
    for (const edge of outgoing) {
      if (visiting.has(edge.to)) backEdges.add(edge);
      else if (!done.has(edge.to)) visit(edge.to);
    }
    visiting.delete(name);
    done.add(name);
  };
  if (start) visit(start);
  for (const name of names) if (!done.has(name)) visit(name);

  const layer = new Map<string, number>(order.map((name) => [name, 0]));
  for (let pass = 0; pass < names.length; pass += 1) {
    let changed = false;
    for (const edge of edges) {
      if (backEdges.has(edge)) continue;
      const candidate = (layer.get(edge.from) ?? 0) + 1;
      if (candidate > (layer.get(edge.to) ?? 0)) {
        layer.set(edge.to, candidate);
        changed = true;
      }
    }
    if (!changed) break;
  }
  const columnsUsed = new Map<number, number>();
  const nodes = order.map((name) => {
    const nodeLayer = layer.get(name) ?? 0;
    const column = columnsUsed.get(nodeLayer) ?? 0;
    columnsUsed.set(nodeLayer, column + 1);
    return { name, type: states[name]?.Type ?? 'Task', layer: nodeLayer, column };
  });
  return { nodes, edges };
}
