/**
 * What the box toggles over an image and a label's "instances" count mean. A DetectLabels label can have many
 * instances (Person: one per person), but the stored summary keeps only the most confident few boxes per label
 * (functions/rekognition-labels SUMMARY_LIMITS.boxesPerLabel), so "boxes drawn" and "instances found" differ: both
 * are shown, each named, so neither reads as a count of labels.
 */

/** The part of a section item these counts read (a structural subset of contracts' SectionItem). */
export interface CountedItem {
  boxes?: unknown[];
  attributes?: Record<string, unknown>;
}

/** How many boxes a section draws, and how many instances its detector found (never fewer than drawn). */
export function boxCounts<Item extends CountedItem>(
  items: readonly Item[],
  drawnOf: (item: Item) => number,
): { drawn: number; found: number } {
  let drawn = 0;
  let found = 0;
  for (const item of items) {
    const itemDrawn = drawnOf(item);
    const instances = item.attributes?.instances;
    drawn += itemDrawn;
    found += Math.max(itemDrawn, typeof instances === 'number' && Number.isFinite(instances) ? instances : 0);
  }
  return { drawn, found };
}

/** The toggle's words: "Faces: 13 boxes", or "Labels: 5 boxes of 9 found" when the summary kept fewer boxes. */
export function boxToggleCaption(title: string, drawn: number, found: number): string {
  const boxes = `${drawn} ${drawn === 1 ? 'box' : 'boxes'}`;
  return found > drawn ? `${title}: ${boxes} of ${found} found` : `${title}: ${boxes}`;
}

/** A label's instance count, saying how many of them have a box when not all do. */
export function instancesText(instances: number, boxed: number): string {
  if (boxed >= instances) return `instances: ${instances}`;
  return `instances: ${instances} (${boxed === 0 ? 'none' : `the ${boxed} most confident`} boxed)`;
}
