import type { Image } from '@aws-sdk/client-rekognition';
import { SECTION_IDS, type AnalysisConfig, type AnalysisSection, type AnalysisSummary } from '@smart-image-pipeline/contracts';
import { InvalidConfigError } from '../errors';
import type { AnalyseImageInput } from '../types';
import { GROUP_FACES_CALL, groupFaces, type FaceCollection, type FaceStore, type PeopleLock } from './group-faces';

/** What grouping faces into people needs: the stack's face collection and the table's face records. */
export interface PeopleDeps {
  collection: FaceCollection;
  store: FaceStore;
  /** The owner's people lock: grouping for one owner runs one image at a time. */
  lock: PeopleLock;
  /** Where a run keeps its Detect results while the people step runs, so a retry of that step repeats no Detect call. */
  checkpoint: DetectionsCheckpoint;
  now?: () => Date;
}

/** One analysis run's Detect results (its summary before the people step), kept per image revision. */
export interface DetectionsCheckpoint {
  get(imageId: string, revision: string): Promise<AnalysisSummary | undefined>;
  /** Stores a copy: later changes to `summary` are not stored. */
  put(imageId: string, revision: string, summary: AnalysisSummary): Promise<void>;
  remove(imageId: string, revision: string): Promise<void>;
}

/** The summary parts grouping adds to or takes from: sections, the calls made and the reasons calls were skipped. */
export interface SummaryParts {
  sections: Record<string, AnalysisSection>;
  calls: string[];
  skipped: Record<string, string>;
}

/** Whether addPeopleSection will index faces: the switch is on and the faces section found at least one. */
export function groupsFaces(sections: Record<string, AnalysisSection>, config: AnalysisConfig): boolean {
  return config.groupFacesIntoPeople && (sections[SECTION_IDS.faces]?.items.length ?? 0) > 0;
}

/**
 * With `groupFacesIntoPeople` on and at least one face found, indexes the faces and writes the `people` section;
 * otherwise says why it was skipped. A `people` section copied from a near-duplicate is always dropped first: its
 * faces belong to the other image.
 * @throws InvalidConfigError when grouping is switched on but the function has no face collection (FACE_COLLECTION_ID unset)
 */
export async function addPeopleSection(
  parts: SummaryParts,
  input: AnalyseImageInput,
  image: Image,
  config: AnalysisConfig,
  people: PeopleDeps | undefined,
): Promise<void> {
  delete parts.sections[SECTION_IDS.people];
  if (!config.groupFacesIntoPeople) return;
  if (!people) throw new InvalidConfigError('groupFacesIntoPeople is on, but this function has no face collection (FACE_COLLECTION_ID)');
  if (!groupsFaces(parts.sections, config)) {
    parts.skipped[GROUP_FACES_CALL] = 'no face found';
    return;
  }
  const outcome = await groupFaces(
    {
      imageId: input.imageId,
      owner: input.owner,
      image,
      sourceOrder: input.sourceOrder,
      threshold: config.personMatchThreshold,
      now: people.now ?? (() => new Date()),
    },
    people.collection,
    people.store,
    people.lock,
  );
  if ('section' in outcome) {
    parts.calls.push(GROUP_FACES_CALL);
    parts.sections[SECTION_IDS.people] = outcome.section;
  } else {
    if (outcome.gone === 'after-indexing') parts.calls.push(GROUP_FACES_CALL);
    parts.skipped[GROUP_FACES_CALL] = GONE_REASONS[outcome.gone];
  }
}

/** Why a run has no `people` section although it found faces: the image was deleted or replaced by a later upload. */
export const GONE_REASONS = {
  'before-indexing': 'image deleted or replaced by a later upload before its faces were indexed',
  'after-indexing': 'image deleted or replaced by a later upload while its faces were indexed; they were deleted again',
} as const;
