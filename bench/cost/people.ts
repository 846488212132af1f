import type { Image } from '@aws-sdk/client-rekognition';
import {
  groupFaces,
  type FaceCollection,
  type FaceStore,
  type PeopleLock,
  type StoredFace,
} from '../../functions/rekognition-labels/src/people/group-faces';
import type { CostLine } from './model';
import { tieredCost, type Tier } from './prices';

/**
 * Face grouping (`groupFacesIntoPeople`, off by default: it stores biometric data) prices, us-east-1.
 *
 * Confirmed 2026-12-05 with the search tool: the pricing page (its Vietnamese edition,
 * https://aws.amazon.com/vi/rekognition/pricing/) puts IndexFaces, SearchFaces, SearchFacesByImage and CompareFaces in
 * Group 1, bills each API run on an image as one image processed in monthly volume tiers, and bills face metadata
 * storage monthly, pro-rated for part of a month.
 *
 * Not confirmed by a stored AWS page (the stored copies render the price tables from templates they do not hold): the
 * Group 1 unit prices below ($1.00 per 1,000 for the first 1 M, $0.80 to 5 M, $0.60 to 35 M, $0.40 over 35 M) and
 * the face metadata storage price ($0.00001 per face per month). Searched again 2026-12-06 (aws-facts; docs, pages,
 * issues and code corpora). The closest to the table itself is a third-party transcription of the pricing page: a
 * project's "AWS Rekognition Collection Pricing Research" note (2025-12-03, citing
 * https://aws.amazon.com/rekognition/pricing/; code index id 36073855359) lists IndexFaces and SearchFacesByImage
 * (Group 1) at exactly these four tiers and face storage at $0.00001 per face vector per month, pro-rated. Also
 * consistent:
 * - a transcription of the pricing page's worked example (api-evangelist/amazon-rekognition, plans pricing, read
 *   2026-10-07) gives $0.0010 per image for the first 1 M and $0.0008 for the next images, for Group 2 (DetectLabels);
 * - a project's cost notes read Group 1 from the AWS Price List API for Mumbai: $0.00125 per image for the first 1 M
 *   (`APS3-Group1-ImagesProcessed`; Mumbai prices run above us-east-1's);
 * - a real bill line `USW2-FaceVectorsStored $1e-05` (ddps-lab/cloud-usage#50) shows the storage billing item.
 * Check both on https://aws.amazon.com/rekognition/pricing/ before relying on the people lines.
 */
export const PEOPLE_PRICES = {
  group1PerImage: [
    { upTo: 1e6, usd: 0.001 },
    { upTo: 5e6, usd: 0.0008 },
    { upTo: 35e6, usd: 0.0006 },
    { upTo: Infinity, usd: 0.0004 },
  ] as Tier[],
  faceMetadataPerFaceMonth: 0.00001,
  confirmed: 'IndexFaces and SearchFaces are Group 1 APIs billed per image; face metadata storage is billed per month',
  notConfirmed:
    "the us-east-1 Group 1 unit prices and the $0.00001 per face per month storage price by a stored AWS page (searched again 2026-12-06); both match a third-party transcription of the pricing page (2025-12-03: $1, $0.8, $0.6, $0.4 per 1,000 to 1M, 5M, 35M and over; $0.00001 per face vector per month) and fit the page's worked example, the Mumbai Price List row and a FaceVectorsStored bill line",
} as const;

/**
 * The documented mix's people assumptions (stated, not measured): an image with a face holds 1.6 faces (portraits,
 * couples, the odd group photo; IndexFaces keeps at most 20), and each face's SearchFaces finds 10 earlier faces of
 * the same owner (a person seen in ten earlier photos), whose records are then read.
 */
export const PEOPLE_MIX = Object.freeze({ facesPerFaceImage: 1.6, matchesPerFace: 10 });

/** What grouping does for one image with faces: Rekognition calls, face vectors stored and table requests. */
export interface PeopleUsage {
  indexFaces: number;
  searchFaces: number;
  storedFaces: number;
  writeUnits: number;
  readUnits: number;
}

/** A face item (FACE#, about 400 bytes) lands in the table and in GSI2: two write units per put. */
const FACE_PUT_WRU = 2;
/** A face record read by BatchGetItem (strongly consistent, under 4 KB): one read unit. */
const FACE_READ_RRU = 1;
/** The owner's lock item (no index): one write unit to take it, one to release it. */
const LOCK_WRU = 1;
/** The image's own faces, read first (one consistent Query of a few small items): one read unit. */
const IMAGE_FACES_QUERY_RRU = 1;
/** The "faces being indexed" marker (a tiny item): one write unit to set, one to clear, one consistent read. */
const MARKER_WRU = 1;
const MARKER_READ_RRU = 1;
/**
 * Before and after IndexFaces, grouping reads the image item (strongly consistent) to see whether the image was
 * deleted or replaced; an image item holds the analysis, taken as 8 KB like the checkpoint: two read units each.
 */
const IMAGE_ITEM_READ_RRU = 2;
/**
 * The detections checkpoint AnalyseImage writes before grouping and deletes after it: the analysis summary of an image
 * with a face, taken as 8 KB (functions/rekognition-labels/README.md: the person fixture's summary is under 8 KB), so
 * 8 write units to put and 8 to delete (a delete is billed by the deleted item's size). Stated, not measured per image.
 */
export const CHECKPOINT_WRU = 16;
/** Every analysed image (with or without faces) first looks for a checkpoint: one consistent GetItem. */
export const CHECKPOINT_READ_RRU = 1;

/**
 * Runs the real grouping core (`groupFaces`) on an image with `faces` faces against counting stand-ins: every face
 * matches `matches` older faces of the same owner in other images, so each joins an existing person.
 */
export async function measureGroupingRun(faces: number, matches: number): Promise<PeopleUsage> {
  const usage: PeopleUsage = { indexFaces: 0, searchFaces: 0, storedFaces: 0, writeUnits: 0, readUnits: 0 };
  const older = (i: number, m: number): StoredFace => ({
    faceId: `older-${i}-${m}`,
    imageId: `image-${m}`,
    owner: 'owner',
    personId: `person-${i}`,
    box: { left: 0, top: 0, width: 0.1, height: 0.1 },
    confidence: 99,
    indexedAt: '2020-01-01T00:00:00.000Z',
  });
  const collection: FaceCollection = {
    indexFaces: async () => {
      usage.indexFaces += 1;
      usage.storedFaces += faces;
      return Array.from({ length: faces }, (_, i) => ({
        faceId: `new-${i}`,
        box: { left: 0, top: 0, width: 0.1, height: 0.1 },
        confidence: 99,
      }));
    },
    searchFaces: async (faceId) => {
      usage.searchFaces += 1;
      const i = Number(faceId.split('-')[1]);
      return Array.from({ length: matches }, (_, m) => ({ faceId: older(i, m).faceId, imageId: older(i, m).imageId, similarity: 99 }));
    },
    deleteFaces: async () => undefined,
    facesOfImage: async () => [],
  };
  const store: FaceStore = {
    facesOfImage: async () => {
      usage.readUnits += IMAGE_FACES_QUERY_RRU;
      return [];
    },
    facesById: async (refs) => {
      usage.readUnits += refs.length * FACE_READ_RRU;
      return refs.map((ref) => older(Number(ref.faceId.split('-')[1]), Number(ref.imageId.split('-')[1])));
    },
    putFace: async () => {
      usage.writeUnits += FACE_PUT_WRU;
    },
    updateFace: async () => {
      usage.writeUnits += FACE_PUT_WRU;
      return true;
    },
    deleteFaceRecords: async () => undefined,
    markIndexing: async () => {
      usage.writeUnits += MARKER_WRU;
    },
    indexingMark: async () => {
      usage.readUnits += MARKER_READ_RRU;
      return undefined;
    },
    clearIndexingMark: async () => {
      usage.writeUnits += MARKER_WRU;
    },
    isSuperseded: async () => {
      usage.readUnits += IMAGE_ITEM_READ_RRU;
      return false;
    },
  };
  const lock: PeopleLock = {
    withOwnerLock: async (_owner, work) => {
      usage.writeUnits += 2 * LOCK_WRU;
      return work();
    },
  };
  const image: Image = { S3Object: { Bucket: 'b', Name: 'k.jpg' } };
  await groupFaces(
    { imageId: 'new-image', owner: 'owner', image, sourceOrder: '1'.padStart(32, '0'), threshold: 90, now: () => new Date() },
    collection,
    store,
    lock,
  );
  return usage;
}

/**
 * Usage for a (possibly fractional) number of faces per image: the core's usage is linear in the faces, so it is
 * measured for one and two faces and extended along that line.
 */
export async function measurePeopleUsage(facesPerImage: number, matchesPerFace: number): Promise<PeopleUsage> {
  const one = await measureGroupingRun(1, matchesPerFace);
  const two = await measureGroupingRun(2, matchesPerFace);
  const at = (key: keyof PeopleUsage) => one[key] + (facesPerImage - 1) * (two[key] - one[key]);
  return {
    indexFaces: at('indexFaces'),
    searchFaces: at('searchFaces'),
    storedFaces: at('storedFaces'),
    writeUnits: at('writeUnits'),
    readUnits: at('readUnits'),
  };
}

/** The people inputs of the cost model: the share of images grouped and what grouping one of them does. */
export interface PeopleCostInputs {
  /** Share of images with at least one face found (the only ones IndexFaces runs on). */
  faceImageShare: number;
  perFaceImage: PeopleUsage;
}

/**
 * The lines `groupFacesIntoPeople` adds, per 1,000 images for a month of `images` uploads: IndexFaces and SearchFaces
 * on one Group 1 tier ladder, one month of face metadata storage for the faces those images add (each further month
 * they are kept costs the same again), and the face records, the owner's lock and the match reads in the table.
 */
export function peopleCostLines(images: number, people: PeopleCostInputs, prices: { perWru: number; perRru: number }): CostLine[] {
  const share = people.faceImageShare;
  const usage = people.perFaceImage;
  const line = (service: string, item: string, unitsPerImage: number, monthlyUsd: number): CostLine => ({
    service,
    item,
    unitsPerImage,
    usdPerThousand: (monthlyUsd / images) * 1000,
  });
  const index = share * usage.indexFaces;
  const search = share * usage.searchFaces;
  const group1Usd = tieredCost((index + search) * images, PEOPLE_PRICES.group1PerImage);
  const group1Share = (units: number) => (index + search === 0 ? 0 : (group1Usd * units) / (index + search));
  const faces = share * usage.storedFaces;
  const wru = share * (usage.writeUnits + CHECKPOINT_WRU);
  const rru = share * usage.readUnits + CHECKPOINT_READ_RRU;
  return [
    line('Rekognition', 'IndexFaces (people, Group 1)', index, group1Share(index)),
    line('Rekognition', 'SearchFaces (people, Group 1, one per face)', search, group1Share(search)),
    line('Rekognition', 'face metadata storage (people, first month)', faces, faces * images * PEOPLE_PRICES.faceMetadataPerFaceMonth),
    line(
      'DynamoDB',
      'people (face records, owner lock, indexing marker, match reads, detections checkpoint)',
      wru + rru,
      images * (wru * prices.perWru + rru * prices.perRru),
    ),
  ];
}
