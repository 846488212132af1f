import { eachState, transitionsOf, type AslStates } from '../../local/services/stepfunctions/asl-walker';

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

/** The transitions of a top-level ASL definition, in the order they appear. */
export function aslEdges(definition: AslStates): GraphEdge[] {
  const edges: GraphEdge[] = [];
  for (const [name, state] of eachState(definition, { nested: false })) {
    for (const { to, kind, errorEquals } of transitionsOf(state)) {
      const label = kind === 'default' ? 'default' : kind === 'catch' ? (errorEquals ?? []).join(', ') : undefined;
      edges.push({ from: name, to, kind, ...(label === undefined ? {} : { label }) });
    }
  }
  return edges.filter((edge) => definition.States?.[edge.to] !== undefined);
}

/**
 * Places states in layers by their longest path from StartAt (back edges ignored), and in columns by the
 * order they are reached, so the happy path runs straight down and failure branches sit beside it.
 */
export function layoutAsl(definition: AslStates & { StartAt?: string }): { nodes: GraphNode[]; edges: GraphEdge[] } {
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
  // Columns: a state keeps the column of the state it follows on the normal path; a state reached only through
  // Catch opens a column to the right, so the failure branch forms its own lane.
  const column = new Map<string, number>();
  const used = new Map<number, Set<number>>();
  const placementOrder = [...order].sort((a, b) => (layer.get(a) ?? 0) - (layer.get(b) ?? 0) || order.indexOf(a) - order.indexOf(b));
  for (const name of placementOrder) {
    const incoming = edges.filter((edge) => edge.to === name && !backEdges.has(edge) && column.has(edge.from));
    const normal = incoming.find((edge) => edge.kind !== 'catch');
    const preferred = normal
      ? (column.get(normal.from) ?? 0)
      : incoming.length > 0
        ? Math.max(...incoming.map((edge) => (column.get(edge.from) ?? 0) + 1))
        : 0;
    const nodeLayer = layer.get(name) ?? 0;
    const taken = used.get(nodeLayer) ?? new Set<number>();
    let chosen = preferred;
    while (taken.has(chosen)) chosen += 1;
    taken.add(chosen);
    used.set(nodeLayer, taken);
    column.set(name, chosen);
  }
  const nodes = order.map((name) => ({
    name,
    type: states[name]?.Type ?? 'Task',
    layer: layer.get(name) ?? 0,
    column: column.get(name) ?? 0,
  }));
  return { nodes, edges };
}
