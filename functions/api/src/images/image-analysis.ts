import {
  isObject,
  SECTION_IDS,
  type AnalysisSection,
  type AnalysisSummary,
  type SectionItem,
} from '@smart-image-pipeline/contracts/browser';
import type { ImageItem } from './image-item';

/** The analysis the console shows: the sections by id (and what ran), whatever detectors produced them. */
export type ImageAnalysis = Pick<AnalysisSummary, 'sections'> & Partial<Omit<AnalysisSummary, 'sections'>>;

const num = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);
const str = (value: unknown): string => (typeof value === 'string' ? value : '');

type Legacy = Record<string, unknown>;
const list = (value: unknown): Legacy[] => (Array.isArray(value) ? value.filter(isObject) : []);

/**
 * Items written before the analysis became sections kept `labels`, `faces`, `moderation`, `text` and
 * `imageProperties` as fields of their own; they are read as the same sections a new item holds, so the console
 * shows old and new images alike.
 */
function legacySections(item: ImageItem): Record<string, AnalysisSection> {
  const box = (value: unknown) =>
    isObject(value)
      ? {
          left: num(value.left) ?? 0,
          top: num(value.top) ?? 0,
          width: num(value.width) ?? 0,
          height: num(value.height) ?? 0,
          ...(num(value.confidence) !== undefined ? { confidence: num(value.confidence) } : {}),
        }
      : undefined;
  const section = (title: string, detector: string, items: SectionItem[]): AnalysisSection => ({ title, detector, items });
  const properties = isObject(item.imageProperties) ? item.imageProperties : {};
  const quality = isObject(properties.quality) ? properties.quality : undefined;
  return {
    [SECTION_IDS.labels]: section(
      'Labels',
      'DetectLabels',
      list(item.labels).map((label) => ({
        name: str(label.name),
        confidence: num(label.confidence) ?? null,
        boxes: list(label.boxes)
          .map(box)
          .filter((b) => b !== undefined),
        attributes: { parents: Array.isArray(label.parents) ? label.parents.map(String) : [] },
      })),
    ),
    [SECTION_IDS.faces]: section(
      'Faces',
      'DetectFaces',
      list(item.faces).map((face) => ({
        name: 'Face',
        confidence: num(face.confidence) ?? null,
        boxes: [box(face.boundingBox)].filter((b) => b !== undefined),
        attributes: {
          gender: str(face.gender) || null,
          emotion: str(face.emotion) || null,
          smile: typeof face.smile === 'boolean' ? face.smile : null,
        },
      })),
    ),
    [SECTION_IDS.moderation]: section(
      'Moderation',
      'DetectModerationLabels',
      list(item.moderation).map((entry) => ({
        name: str(entry.name),
        confidence: num(entry.confidence) ?? null,
        attributes: { parentName: str(entry.parentName) },
      })),
    ),
    [SECTION_IDS.text]: section(
      'Detected text',
      'DetectText',
      list(item.text).map((line) => ({ name: str(line.text), confidence: num(line.confidence) ?? null })),
    ),
    [SECTION_IDS.imageProperties]: {
      ...section(
        'Dominant colours and quality',
        'DetectLabels',
        list(properties.dominantColors).map((colour) => ({
          name: str(colour.cssColor) || str(colour.hex),
          attributes: { hex: str(colour.hex), pixelPercent: num(colour.pixelPercent) ?? null },
        })),
      ),
      ...(quality ? { facts: Object.fromEntries(Object.entries(quality).map(([key, value]) => [key, num(value) ?? null])) } : {}),
    },
  };
}

/** The image's analysis as sections, from the stored summary or, for an item written before it, from the old fields. */
export function analysisOf(item: ImageItem): ImageAnalysis | null {
  if (isObject(item.analysis) && isObject(item.analysis.sections)) return item.analysis as ImageAnalysis;
  const hasLegacy = ['labels', 'faces', 'moderation', 'text'].some((field) => Array.isArray(item[field])) || isObject(item.imageProperties);
  if (!hasLegacy) return null;
  const sections = Object.fromEntries(
    Object.entries(legacySections(item)).map(([id, section]) => [
      id,
      { ...section, items: section.items.filter((entry) => entry.name !== '') },
    ]),
  );
  return { sections };
}

/** One label as search and listings read it: its name, confidence and parents. */
export interface LabelView {
  name: string;
  confidence?: number;
  parents: string[];
}

/** The labels of an image, most confident first. */
export function labelsOf(item: ImageItem): LabelView[] {
  return (analysisOf(item)?.sections[SECTION_IDS.labels]?.items ?? [])
    .map((entry) => ({
      name: entry.name,
      confidence: entry.confidence ?? undefined,
      parents: Array.isArray(entry.attributes?.parents) ? entry.attributes.parents : [],
    }))
    .sort((a, b) => (b.confidence ?? 0) - (a.confidence ?? 0));
}

/** How many faces the image has: the stored count, else the faces section's length. */
export function faceCountOf(item: ImageItem): number {
  return typeof item.faceCount === 'number' ? item.faceCount : (analysisOf(item)?.sections[SECTION_IDS.faces]?.items.length ?? 0);
}

/** The lower-case text of the image, for contains-filters: the stored textContent, else the text section's lines. */
export function textContentOf(item: ImageItem): string {
  if (typeof item.textContent === 'string') return item.textContent;
  return (analysisOf(item)?.sections[SECTION_IDS.text]?.items ?? [])
    .map((line) => line.name)
    .join(' ')
    .toLowerCase();
}
