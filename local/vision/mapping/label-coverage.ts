import { IMAGENET_CLASSES } from './imagenet-classes';
import { imagenetClassLabels } from './imagenet-labels';
import { ancestorsOf, categoryOf, COCO_TO_LABEL } from './label-taxonomy';

/** Where a label the local service can return comes from. */
export interface LabelSource {
  label: string;
  category: string;
  /** what finds it: COCO classes of the object detector, the face detector, the text detector */
  foundBy: string[];
  /** labels it is returned as a parent of (empty when something finds it directly) */
  parentOf: string[];
}

/** Labels that evidence other than the object detector adds (labels.ts): a face means a person, legible text Text. */
const OTHER_SOURCES: Readonly<[label: string, foundBy: string][]> = [
  ['Face', 'face detector + face mesh'],
  ['Text', 'text detector + recogniser'],
  ['Sky', 'colour cue: blue, smooth top of the image'],
  ['Outdoors', 'colour cue: blue, smooth top of the image'],
  ['Vegetation', 'colour cue: green, textured area'],
];

/**
 * Every label DetectLabels can return locally, derived from the same tables toLabels uses, so the list cannot drift
 * from the code: each COCO class's label, the face and text labels, and all their ancestors.
 */
export function producibleLabels(): LabelSource[] {
  const sources = new Map<string, LabelSource>();
  const entry = (label: string) => {
    const known = sources.get(label);
    if (known) return known;
    const created: LabelSource = { label, category: categoryOf(label), foundBy: [], parentOf: [] };
    sources.set(label, created);
    return created;
  };
  const direct: [label: string, foundBy: string][] = [
    ...Object.entries(COCO_TO_LABEL).map(([coco, label]): [string, string] => [label, `COCO "${coco}"`]),
    ...OTHER_SOURCES,
    ...imagenetSources(),
  ];
  for (const [label, foundBy] of direct) {
    entry(label).foundBy.push(foundBy);
    for (const ancestor of ancestorsOf(label)) {
      const parent = entry(ancestor);
      if (!parent.parentOf.includes(label)) parent.parentOf.push(label);
    }
  }
  return [...sources.values()].sort((a, b) => a.category.localeCompare(b.category) || a.label.localeCompare(b.label));
}

/** Each label the optional ImageNet classifier gives, with how many of its classes stand for it and a few of them. */
function imagenetSources(): [label: string, foundBy: string][] {
  const classes = new Map<string, string[]>();
  imagenetClassLabels().forEach((label, index) => {
    if (label) classes.set(label, [...(classes.get(label) ?? []), IMAGENET_CLASSES[index]]);
  });
  return [...classes].map(([label, names]) => {
    const examples = names.slice(0, 3).map((name) => `"${name}"`);
    const more = names.length > 3 ? `, … (${names.length} classes)` : '';
    return [label, `ImageNet ${examples.join(', ')}${more}`];
  });
}

/**
 * Labels that people expect (e.g. on the evaluation photos) but that the local service can never return, with how
 * many times each was expected, most expected first.
 */
export function unproducibleLabels(expected: readonly (readonly string[])[]): { label: string; photos: number }[] {
  const producible = new Set(producibleLabels().map((source) => source.label));
  const counts = new Map<string, number>();
  for (const labels of expected)
    for (const label of new Set(labels)) if (!producible.has(label)) counts.set(label, (counts.get(label) ?? 0) + 1);
  return [...counts].map(([label, photos]) => ({ label, photos })).sort((a, b) => b.photos - a.photos || a.label.localeCompare(b.label));
}
