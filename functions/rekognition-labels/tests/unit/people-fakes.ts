import { DELETED_STATUS, withOwnerLock, type LockTable } from '@smart-image-pipeline/contracts';
import {
  groupFaces,
  type FaceCollection,
  type FaceStore,
  type IndexingMark,
  type PeopleLock,
  type StoredFace,
} from '../../src/people/group-faces';

/**
 * A collection whose "images" are lists of identities (who is in the photo): faces of one identity are 95 % similar,
 * others 10 %. SearchFaces answers over every owner's faces, as Rekognition's one collection per stack does.
 */
export class FakeCollection implements FaceCollection {
  readonly faces = new Map<string, { identity: string; imageId: string }>();
  private next = 1;
  constructor(readonly photos: Record<string, string[]>) {}

  /** Awaited by IndexFaces before it adds the vectors, and after (before it answers): a test holds a call there. */
  beforeIndexing: () => Promise<void> = async () => undefined;
  afterIndexing: () => Promise<void> = async () => undefined;

  /** How many IndexFaces calls were made. */
  indexCalls = 0;

  async indexFaces(image: { S3Object?: { Name?: string } }, imageId: string) {
    this.indexCalls += 1;
    await this.beforeIndexing();
    const indexed = (this.photos[image.S3Object!.Name!] ?? []).map((identity) => {
      const faceId = `face-${this.next++}`;
      this.faces.set(faceId, { identity, imageId });
      return { faceId, box: { left: 0.1, top: 0.1, width: 0.2, height: 0.2 }, confidence: 99.5 };
    });
    await this.afterIndexing();
    return indexed;
  }

  /** The vectors the collection holds for the image. */
  facesTaggedWith(imageId: string): string[] {
    return [...this.faces].filter(([, face]) => face.imageId === imageId).map(([faceId]) => faceId);
  }

  /** Awaited by SearchFaces before it looks for the face, and after it found the matches: a test holds a call there. */
  beforeSearching: () => Promise<void> = async () => undefined;
  afterSearching: () => Promise<void> = async () => undefined;

  async searchFaces(faceId: string, threshold: number) {
    await this.beforeSearching();
    const searched = this.faces.get(faceId);
    // As Rekognition answers for a FaceId the collection does not hold (any more).
    if (!searched) throw Object.assign(new Error('faceId was not found in the collection.'), { name: 'InvalidParameterException' });
    const matches = [...this.faces]
      .filter(([id]) => id !== faceId)
      .map(([id, face]) => ({ faceId: id, imageId: face.imageId, similarity: face.identity === searched.identity ? 95 : 10 }))
      .filter((match) => match.similarity >= threshold);
    await this.afterSearching();
    return matches;
  }

  async deleteFaces(faceIds: readonly string[]) {
    for (const faceId of faceIds) this.faces.delete(faceId);
  }

  async facesOfImage(imageId: string) {
    this.scans += 1;
    return this.facesTaggedWith(imageId);
  }

  /** How many times the whole collection was listed (the slow path). */
  scans = 0;
}

export class MemoryFaceStore implements FaceStore {
  readonly records = new Map<string, StoredFace>();
  async facesOfImage(imageId: string) {
    return [...this.records.values()].filter((face) => face.imageId === imageId);
  }
  async facesById(refs: readonly { faceId: string }[]) {
    return refs.flatMap((ref) => (this.records.has(ref.faceId) ? [this.records.get(ref.faceId)!] : []));
  }
  async putFace(face: StoredFace) {
    this.records.set(face.faceId, face);
  }
  async updateFace(face: StoredFace) {
    if (!this.records.has(face.faceId)) return false;
    this.records.set(face.faceId, face);
    return true;
  }
  async deleteFaceRecords(_imageId: string, faceIds: readonly string[]) {
    for (const faceId of faceIds) this.records.delete(faceId);
  }
  readonly indexing = new Map<string, IndexingMark>();
  async markIndexing(imageId: string, sourceOrder: string | undefined) {
    this.indexing.set(imageId, sourceOrder ? { sourceOrder } : {});
  }
  async indexingMark(imageId: string) {
    return this.indexing.get(imageId);
  }
  async clearIndexingMark(imageId: string) {
    this.indexing.delete(imageId);
  }
  /** Image items (status and sourceOrder), as StoreMetadata and CleanUpImage write them. */
  readonly images = new Map<string, { status: string; sourceOrder: string }>();
  async isSuperseded(imageId: string, sourceOrder: string | undefined) {
    const image = this.images.get(imageId);
    if (!image) return false;
    return sourceOrder === undefined ? image.status === DELETED_STATUS : image.sourceOrder > sourceOrder;
  }
}

/** contracts' real lock over an in-memory table with DynamoDB's conditional-put semantics. */
export function memoryLock(): PeopleLock {
  const items = new Map<string, Record<string, unknown>>();
  const table: LockTable = {
    async tryPut(request) {
      const key = String(request.Item!.PK);
      const held = items.get(key);
      if (held && (held.leaseUntil as number) >= (request.ExpressionAttributeValues[':now'] as number)) return false;
      items.set(key, request.Item!);
      return true;
    },
    async deleteIf(request) {
      const key = String(request.Key!.PK);
      if (items.get(key)?.holder === request.ExpressionAttributeValues[':token']) items.delete(key);
    },
  };
  return {
    withOwnerLock: (owner, work) => withOwnerLock(table, 'T', owner, work, { sleep: (ms) => new Promise((r) => setTimeout(r, ms / 20)) }),
  };
}

/** A lock that locks nothing: what grouping did before the owner lock. */
export const noLock: PeopleLock = { withOwnerLock: (_owner, work) => work() };

/** Photos by file name: who is in each. */
export const PHOTOS = { 'ann-1.jpg': ['ann'], 'ann-and-bob.jpg': ['ann', 'bob'], 'ann-2.jpg': ['ann'], 'twins.jpg': ['cat', 'cat'] };

/** A collection, store and lock (contracts' real lock by default), and `group` to run the grouping core on a photo. */
export function setUp(lock: PeopleLock = memoryLock(), store: MemoryFaceStore = new MemoryFaceStore()) {
  const collection = new FakeCollection(PHOTOS);
  let tick = 0;
  // Every run reads a later clock, as runs started one after the other do.
  const now = () => new Date(Date.UTC(2026, 11, 5, 19, 0, tick++));
  /** Groups the photo's faces; undefined when the image was gone for the run (GroupFacesOutcome's `gone`). */
  const group = async (imageId: string, photo: string, owner?: string, sourceOrder?: string) => {
    const outcome = await groupFaces(
      { imageId, owner, image: { S3Object: { Bucket: 'b', Name: photo } }, sourceOrder, threshold: 90, now },
      collection,
      store,
      lock,
    );
    return 'section' in outcome ? outcome.section : undefined;
  };
  const personIds = (section: Awaited<ReturnType<typeof group>>) => section!.items.map((item) => item.attributes?.personId);
  return { collection, store, group, personIds };
}

/** A gate a fake call waits at: `reached` resolves when a call arrives, the call goes on after `release()`. */
export function gate() {
  let arrive!: () => void;
  let release!: () => void;
  const reached = new Promise<void>((resolve) => (arrive = resolve));
  const released = new Promise<void>((resolve) => (release = resolve));
  let used = false;
  return {
    reached,
    release,
    /** The hook to install: only the first call waits. */
    hold: async () => {
      if (used) return;
      used = true;
      arrive();
      await released;
    },
  };
}
