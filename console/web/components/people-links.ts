import { SECTION_IDS } from '@smart-image-pipeline/contracts/browser';
import { h, type Child } from '../dom';
import { hashLink } from '../router';
import type { AnalysisView } from './analysis-sections';

/**
 * "Photos of this person" for each face of the image that was grouped into a person (the `people` section); null
 * when the image has none, so the panel is not shown.
 */
export function peopleLinks(
  analysis: AnalysisView | null | undefined,
  section: (title: string, ...children: Child[]) => HTMLElement,
): HTMLElement | null {
  const items = analysis?.sections[SECTION_IDS.people]?.items ?? [];
  const personIds = [...new Set(items.map((item) => item.attributes?.personId).filter((id): id is string => typeof id === 'string'))];
  if (personIds.length === 0) return null;
  return section(
    'Photos of these people',
    h(
      'ul',
      { class: 'people-links' },
      ...personIds.map((personId, index) =>
        h('li', {}, h('a', { href: hashLink(['people', personId]), 'data-person-id': personId }, `Photos of face ${index + 1}'s person`)),
      ),
    ),
  );
}
