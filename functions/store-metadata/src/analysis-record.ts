import type { AnalysisSection, AnalysisSummary, AttributeValue, SectionItem } from '@smart-image-pipeline/contracts';

/**
 * Caps for the analysis kept on the image item. They apply to every section alike, so a detector StoreMetadata
 * has never heard of is stored too, and the item stays far below DynamoDB's 400 KB whatever a section holds.
 */
export const ANALYSIS_LIMITS = Object.freeze({
  sections: 20,
  itemsPerSection: 50,
  boxesPerItem: 10,
  /** Time segments of a video's label (the video analysis keeps up to 100). */
  segmentsPerItem: 100,
  attributesPerItem: 20,
  factsPerSection: 20,
  nameChars: 200,
  keyChars: 40,
  valueChars: 200,
  listEntries: 10,
  /** Serialised size of all sections together; items are dropped from the end of the longest sections to fit. */
  bytes: 100_000,
});

/** The analysis as the image item keeps it: the summary with every section capped. */
export type StoredAnalysis = AnalysisSummary;

const clip = (text: string, max: number): string => Array.from(text).slice(0, max).join('');

function capValue(value: AttributeValue): AttributeValue {
  if (typeof value === 'string') return clip(value, ANALYSIS_LIMITS.valueChars);
  if (Array.isArray(value)) return value.slice(0, ANALYSIS_LIMITS.listEntries).map((entry) => clip(entry, ANALYSIS_LIMITS.valueChars));
  return value;
}

function capEntries<T>(record: Record<string, T> | undefined, max: number, cap: (value: T) => T): Record<string, T> | undefined {
  if (record === undefined) return undefined;
  return Object.fromEntries(
    Object.entries(record)
      .slice(0, max)
      .map(([key, value]) => [clip(key, ANALYSIS_LIMITS.keyChars), cap(value)]),
  );
}

function capItem(item: SectionItem): SectionItem {
  return {
    name: clip(item.name, ANALYSIS_LIMITS.nameChars),
    ...(item.confidence !== undefined ? { confidence: item.confidence } : {}),
    ...(item.boxes !== undefined ? { boxes: item.boxes.slice(0, ANALYSIS_LIMITS.boxesPerItem) } : {}),
    ...(item.segments !== undefined ? { segments: item.segments.slice(0, ANALYSIS_LIMITS.segmentsPerItem) } : {}),
    ...(item.attributes !== undefined ? { attributes: capEntries(item.attributes, ANALYSIS_LIMITS.attributesPerItem, capValue) } : {}),
  };
}

function capSection(section: AnalysisSection): AnalysisSection {
  const facts = capEntries(section.facts, ANALYSIS_LIMITS.factsPerSection, (value) =>
    typeof value === 'string' ? clip(value, ANALYSIS_LIMITS.valueChars) : value,
  );
  return {
    title: clip(section.title, ANALYSIS_LIMITS.nameChars),
    detector: clip(section.detector, ANALYSIS_LIMITS.nameChars),
    items: section.items.slice(0, ANALYSIS_LIMITS.itemsPerSection).map(capItem),
    ...(facts !== undefined ? { facts } : {}),
  };
}

const size = (value: unknown): number => Buffer.byteLength(JSON.stringify(value));

/** Drops items from the end of the section with the most bytes of items until all sections fit the byte budget. */
function fitBudget(sections: Record<string, AnalysisSection>): void {
  const itemSizes = new Map(Object.entries(sections).map(([id, section]) => [id, section.items.map(size)]));
  let total = size(sections);
  while (total > ANALYSIS_LIMITS.bytes) {
    const [id, sizes] = [...itemSizes].reduce((largest, entry) =>
      entry[1].reduce((a, b) => a + b, 0) > largest[1].reduce((a, b) => a + b, 0) ? entry : largest,
    );
    if (sizes.length === 0) break;
    total -= (sizes.pop() ?? 0) + 1;
    sections[id].items.pop();
  }
}

/** Caps every section of a summary (see ANALYSIS_LIMITS) for the image item. */
export function storedAnalysis(summary: AnalysisSummary): StoredAnalysis {
  const sections = Object.fromEntries(
    Object.entries(summary.sections)
      .slice(0, ANALYSIS_LIMITS.sections)
      .map(([id, section]) => [id, capSection(section)]),
  );
  fitBudget(sections);
  return {
    sections,
    calls: summary.calls,
    skipped: summary.skipped,
    rawKeys: summary.rawKeys,
    ...(summary.settings !== undefined ? { settings: summary.settings } : {}),
    ...(summary.reusedFrom !== undefined ? { reusedFrom: summary.reusedFrom } : {}),
    ...(summary.settingsFingerprint !== undefined ? { settingsFingerprint: summary.settingsFingerprint } : {}),
    ...(summary.reusedFromVersion !== undefined ? { reusedFromVersion: summary.reusedFromVersion } : {}),
  };
}
