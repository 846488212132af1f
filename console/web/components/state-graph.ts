import { h, svg } from '../dom';
import { layoutAsl } from '../graph-layout';

const NODE_WIDTH = 190;
/** Names up to this length fit the box at the normal size; longer ones get a smaller font, then squeezing. */
const SHORT_NAME = 24;
/** Rough advance of a 10 px semi-bold character, to decide when a long name must be squeezed to the box. */
const SMALL_CHAR_WIDTH = 6.2;

const NODE_HEIGHT = 40;
const GAP_X = 36;
const GAP_Y = 34;

type Placed = { x: number; y: number; layer: number };

/**
 * Routes an edge: adjacent layers get an S-curve through the gap between them; longer jumps run along the gap beside
 * the source's column (so they never cross states), and loops go around the right.
 */
function edgePath(from: Placed, to: Placed): string {
  const bottom = from.y + NODE_HEIGHT;
  const x2 = to.x + NODE_WIDTH / 2;
  if (to.layer <= from.layer) {
    const x = Math.max(from.x, to.x) + NODE_WIDTH;
    return `M ${x} ${from.y + NODE_HEIGHT / 2} C ${x + 30} ${from.y + NODE_HEIGHT / 2}, ${x + 30} ${to.y + NODE_HEIGHT / 2}, ${to.x + NODE_WIDTH} ${to.y + NODE_HEIGHT / 2}`;
  }
  if (to.layer === from.layer + 1) {
    const x1 = from.x + NODE_WIDTH / 2;
    return `M ${x1} ${bottom} C ${x1} ${bottom + GAP_Y / 2}, ${x2} ${to.y - GAP_Y / 2}, ${x2} ${to.y}`;
  }
  const leftwards = to.x <= from.x;
  const side = leftwards ? from.x : from.x + NODE_WIDTH;
  const lane = leftwards ? from.x - GAP_X / 2 : from.x + NODE_WIDTH + GAP_X / 2;
  const midY = from.y + NODE_HEIGHT / 2;
  const approach = to.y - GAP_Y / 2;
  return `M ${side} ${midY} L ${lane} ${midY} L ${lane} ${approach} L ${x2} ${approach} L ${x2} ${to.y}`;
}

/** Outcome names the graph colours; states never visited are "not-run". */
export type GraphOutcome = 'succeeded' | 'failed' | 'caught' | 'running' | 'not-run';

/** Draws the ASL as an SVG graph, each state filled by its outcome, with a legend. */
export function stateGraph(
  definition: { StartAt?: string; States?: Record<string, never> },
  outcomes: Record<string, string>,
): HTMLElement {
  const { nodes, edges } = layoutAsl(definition);
  const columns = Math.max(1, ...nodes.map((node) => node.column + 1));
  const layers = Math.max(1, ...nodes.map((node) => node.layer + 1));
  const width = columns * NODE_WIDTH + (columns - 1) * GAP_X + 80;
  const height = layers * NODE_HEIGHT + (layers - 1) * GAP_Y + 20;
  const position = new Map(
    nodes.map((node) => [
      node.name,
      { x: 40 + node.column * (NODE_WIDTH + GAP_X), y: 10 + node.layer * (NODE_HEIGHT + GAP_Y), layer: node.layer },
    ]),
  );

  const drawing = svg('svg', { viewBox: `0 0 ${width} ${height}`, class: 'state-graph', role: 'img', 'aria-label': 'State machine graph' });
  drawing.appendChild(
    svg(
      'defs',
      {},
      svg(
        'marker',
        { id: 'arrow', viewBox: '0 0 10 10', refX: '9', refY: '5', markerWidth: '7', markerHeight: '7', orient: 'auto-start-reverse' },
        svg('path', { d: 'M 0 0 L 10 5 L 0 10 z', class: 'arrow-head' }),
      ),
    ),
  );
  for (const edge of edges) {
    const from = position.get(edge.from);
    const to = position.get(edge.to);
    if (!from || !to) continue;
    const path = edgePath(from, to);
    // Both ends visited: the run went this way (a close enough reading for a graph without loops).
    const taken = outcomes[edge.from] !== undefined && outcomes[edge.to] !== undefined;
    drawing.appendChild(
      svg(
        'path',
        { d: path, class: `edge edge-${edge.kind}${taken ? ' taken' : ''}`, 'marker-end': 'url(#arrow)' },
        svg('title', {}, edge.label ? `${edge.from} → ${edge.to} (${edge.label})` : `${edge.from} → ${edge.to}`),
      ),
    );
  }
  for (const node of nodes) {
    const at = position.get(node.name) as Placed;
    const outcome = outcomes[node.name] ?? 'not-run';
    drawing.appendChild(
      svg(
        'g',
        { class: `node node-${outcome}`, 'data-state': node.name, 'data-outcome': outcome },
        svg('title', {}, `${node.name} (${node.type}): ${outcome}`),
        svg('rect', { x: at.x, y: at.y, width: NODE_WIDTH, height: NODE_HEIGHT, rx: node.type === 'Choice' ? 20 : 6 }),
        nodeName(node.name, at),
        svg('text', { x: at.x + NODE_WIDTH / 2, y: at.y + 32, 'text-anchor': 'middle', class: 'node-type' }, node.type),
      ),
    );
  }
  const legend = h(
    'ul',
    { class: 'legend' },
    ...(['succeeded', 'caught', 'failed', 'running', 'not-run'] as const).map((outcome) =>
      h('li', {}, h('span', { class: `swatch node-${outcome}` }), outcome.replace('-', ' ')),
    ),
  );
  return h('figure', { class: 'graph' }, h('div', { class: 'graph-scroll' }, drawing), legend);
}

/** A state's name inside its box: whole where it fits, in a smaller font and squeezed when long, cut only past 48 characters. */
function nodeName(name: string, at: { x: number; y: number }): SVGTextElement {
  const shown = name.length > 48 ? `${name.slice(0, 47)}…` : name;
  const room = NODE_WIDTH - 12;
  const long = shown.length > SHORT_NAME;
  const squeeze = long && shown.length * SMALL_CHAR_WIDTH > room;
  return svg(
    'text',
    {
      x: at.x + NODE_WIDTH / 2,
      y: at.y + 17,
      'text-anchor': 'middle',
      class: long ? 'node-name node-name-long' : 'node-name',
      ...(squeeze ? { textLength: room, lengthAdjust: 'spacingAndGlyphs' } : {}),
    },
    shown,
  );
}
