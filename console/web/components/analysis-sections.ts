import {
  SECTION_IDS,
  type AnalysisSection,
  type AttributeValue,
  type Box,
  type SectionItem,
} from '@smart-image-pipeline/contracts/browser';
import { h, type Child } from '../dom';
import { formatConfidence } from '../format';
import { hashLink } from '../router';
import { instancesText } from './box-counts';

/** The analysis of an image as the API gives it: every detector's sections by id, and the calls in the order they ran. */
export interface AnalysisView {
  sections: Record<string, AnalysisSection>;
  calls?: string[];
}

/** One box to draw over the image, with the section it belongs to and its caption. */
export interface DrawnBox {
  sectionId: string;
  box: Box;
  caption: string;
}

const HEX_COLOUR = /^#[0-9a-fA-F]{6}$/;

const KNOWN_SECTIONS: readonly string[] = Object.values(SECTION_IDS);

/**
 * Sections in the order their detectors ran (DetectLabels first); within one detector the sections the pipeline
 * searches on come first, then the rest by title. The stored item keeps no key order, so the order is computed.
 */
export function orderedSections(analysis: AnalysisView | null | undefined): Array<[string, AnalysisSection]> {
  const calls = analysis?.calls ?? [];
  const rank = (section: AnalysisSection) => (calls.includes(section.detector) ? calls.indexOf(section.detector) : calls.length);
  const known = (id: string) => (KNOWN_SECTIONS.includes(id) ? KNOWN_SECTIONS.indexOf(id) : KNOWN_SECTIONS.length);
  return Object.entries(analysis?.sections ?? {}).sort(
    ([idA, a], [idB, b]) => rank(a) - rank(b) || known(idA) - known(idB) || a.title.localeCompare(b.title),
  );
}

export function isBox(box: unknown): box is Box {
  const candidate = box as Box | null;
  return (
    Boolean(candidate) &&
    [candidate?.left, candidate?.top, candidate?.width, candidate?.height].every(
      (value) => typeof value === 'number' && Number.isFinite(value),
    )
  );
}

/** Every box of every section's items, captioned with the item's name and confidence. */
export function boxesOf(analysis: AnalysisView | null | undefined): DrawnBox[] {
  return orderedSections(analysis).flatMap(([sectionId, section]) =>
    section.items.flatMap((item) =>
      (item.boxes ?? [])
        .filter(isBox)
        .map((box) => ({ sectionId, box, caption: `${item.name} ${formatConfidence(box.confidence ?? item.confidence)}` })),
    ),
  );
}

/** How many of an item's boxes can be drawn. */
export function drawnBoxes(item: SectionItem): number {
  return (item.boxes ?? []).filter(isBox).length;
}

export function bar(value: number, max = 100): HTMLElement {
  const fill = h('span', { class: 'bar-fill' });
  fill.style.width = `${Math.max(0, Math.min(100, (value / max) * 100))}%`;
  return h('span', { class: 'bar', 'aria-hidden': 'true' }, fill);
}

function attributeText(name: string, value: AttributeValue, item: SectionItem): string | null {
  // A label's instances can outnumber its boxes (the summary keeps the most confident few): say so.
  if (name === 'instances' && typeof value === 'number') return instancesText(value, drawnBoxes(item));
  if (value === null || value === '' || (Array.isArray(value) && value.length === 0)) return null;
  if (Array.isArray(value)) return `${name}: ${value.join(', ')}`;
  if (typeof value === 'boolean') return value ? name : null;
  return `${name}: ${value}`;
}

function itemRow(sectionId: string, item: SectionItem): HTMLElement {
  const hex = item.attributes?.hex;
  const swatch = typeof hex === 'string' && HEX_COLOUR.test(hex) ? h('span', { class: 'swatch-big', 'aria-hidden': 'true' }) : null;
  if (swatch) swatch.style.backgroundColor = String(hex);
  // Labels are searchable, so a label links to the gallery filtered by it.
  const name: Child =
    sectionId === SECTION_IDS.labels
      ? h('a', { href: hashLink(['gallery'], { label: item.name }) }, item.name)
      : h('span', { class: 'break' }, item.name);
  const details = Object.entries(item.attributes ?? {})
    .filter(([key]) => key !== 'hex')
    .map(([key, value]) => attributeText(key, value, item))
    .filter((text): text is string => text !== null);
  const confidence = typeof item.confidence === 'number' ? item.confidence : null;
  return h(
    'li',
    { 'data-label': item.name },
    h('span', {}, swatch, name),
    confidence !== null ? bar(confidence) : h('span', {}),
    h('span', { class: 'small' }, confidence !== null ? formatConfidence(confidence) : ''),
    details.length ? h('span', { class: 'muted small' }, details.join(' · ')) : null,
  );
}

function factsList(facts: NonNullable<AnalysisSection['facts']>): HTMLElement {
  return h(
    'ul',
    { class: 'labels facts-list' },
    ...Object.entries(facts).map(([name, value]) =>
      h(
        'li',
        {},
        h('span', {}, name),
        typeof value === 'number' ? bar(value) : h('span', {}),
        h('span', { class: 'small' }, typeof value === 'number' ? value.toFixed(1) : String(value ?? '—')),
      ),
    ),
  );
}

/** One panel per section, from the data alone: title, items with confidence bars and attributes, whole-image facts. */
export function analysisPanels(
  analysis: AnalysisView | null | undefined,
  panel: (title: string, ...children: Child[]) => HTMLElement,
): HTMLElement[] {
  const sections = orderedSections(analysis);
  if (sections.length === 0) return [panel('Analysis', h('p', { class: 'muted' }, 'Not analysed.'))];
  return sections.map(([id, section]) =>
    panel(
      section.title,
      section.items.length
        ? h('ul', { class: `labels section-${id}`, 'data-section': id }, ...section.items.map((item) => itemRow(id, item)))
        : h('p', { class: 'muted' }, 'None found.'),
      section.facts && Object.keys(section.facts).length ? factsList(section.facts) : null,
      h('p', { class: 'muted small' }, `from ${section.detector}`),
    ),
  );
}
