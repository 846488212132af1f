/** Anything that can be a child: strings always become text nodes, never markup. */
export type Child = Node | string | number | null | undefined | false;

type Handler = (event: Event) => void;

/** Element properties: `class`, `on` handlers, and plain attributes (set with setAttribute). */
export interface Props {
  class?: string;
  on?: Record<string, Handler>;
  [attribute: string]: string | number | boolean | undefined | Record<string, Handler>;
}

function append(parent: Node, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child);
  }
}

function applyProps(element: Element, props: Props | undefined): void {
  for (const [name, value] of Object.entries(props ?? {})) {
    if (value === undefined || value === false) continue;
    if (name === 'on') {
      for (const [event, handler] of Object.entries(value as Record<string, Handler>)) element.addEventListener(event, handler);
    } else if (name === 'class') element.setAttribute('class', String(value));
    else element.setAttribute(name, value === true ? '' : String(value));
  }
}

/** Creates an HTML element; text is always set as text, so stored strings can never become HTML. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props?: Props, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  applyProps(element, props);
  append(element, children);
  return element;
}

/** Creates an SVG element. */
export function svg<K extends keyof SVGElementTagNameMap>(tag: K, props?: Props, ...children: Child[]): SVGElementTagNameMap[K] {
  const element = document.createElementNS('http://www.w3.org/2000/svg', tag);
  applyProps(element, props);
  append(element, children);
  return element;
}

/** Replaces an element's children. */
export function replaceChildren(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, children);
}

/** A <pre> showing a value as pretty JSON text. */
export function jsonBlock(value: unknown): HTMLPreElement {
  return h('pre', { class: 'json' }, value === undefined ? '—' : JSON.stringify(value, null, 2));
}

/** A status pill whose colour follows the status word. */
export function statusBadge(status: string): HTMLSpanElement {
  return h('span', { class: `badge badge-${status.toLowerCase().replace(/[^a-z_]/g, '')}` }, status.replace(/_/g, ' '));
}
