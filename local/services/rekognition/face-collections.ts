import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RekognitionError } from '../../vision/errors';
import type { RatioBox } from '../../vision/request';

/** The face model version the local collections report (Rekognition's current one is 7.0; these vectors are not its). */
export const LOCAL_FACE_MODEL_VERSION = '7.0';

/** One indexed face: what Rekognition's `Face` carries, plus the local vector it is searched by. */
export interface StoredCollectionFace {
  FaceId: string;
  ImageId: string;
  ExternalImageId?: string;
  BoundingBox: RatioBox;
  Confidence: number;
  IndexFacesModelVersion: string;
  /** unit-length Human face-description embedding */
  embedding: number[];
}

interface CollectionFile {
  collectionId: string;
  arn: string;
  createdAt: string;
  faces: StoredCollectionFace[];
}

/** Rekognition's collection id rule: letters, digits, `_`, `.` and `-`, at most 255. */
export const COLLECTION_ID_PATTERN = /^[a-zA-Z0-9_.-]{1,255}$/;

/**
 * Cosine similarity of two unit vectors mapped onto Rekognition's 0-100 Similarity. The map was fitted on the
 * repository's fixture faces (README "People (face grouping)"): four edits of one face (mirror, 400 px at quality 60,
 * darker and turned 8°) score cosine 0.87-0.96, the 78 pairs of different people in group-1.jpg 0.26-0.67 (median
 * 0.42). (cosine - 0.3) / 0.6 puts the edits at 95-100, the closest strangers at 62, and the median pair at 20, so
 * Rekognition's default FaceMatchThreshold of 80 (cosine 0.78) separates the two.
 */
export function similarityOf(a: readonly number[], b: readonly number[]): number {
  let dot = 0;
  for (let i = 0; i < Math.min(a.length, b.length); i += 1) dot += a[i] * b[i];
  const scaled = ((dot - 0.3) / 0.6) * 100;
  return Math.round(Math.min(100, Math.max(0, scaled)) * 100_000) / 100_000;
}

/**
 * Face collections on disk (one JSON file per collection under `<dataDir>/rekognition/collections`), kept in memory
 * once read. Writes go to a temporary file and are renamed into place, so a crash never leaves half a collection.
 * Calls on one collection are serialised; the stack has a handful of writers at most.
 */
export class FaceCollectionStore {
  private readonly dir: string;
  private readonly cache = new Map<string, CollectionFile>();
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    dataDir: string,
    private readonly arnOf: (collectionId: string) => string,
  ) {
    this.dir = join(dataDir, 'rekognition', 'collections');
  }

  /** Runs `work` after every earlier call has finished, so read-modify-write never interleaves. */
  private serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** @throws RekognitionError ResourceAlreadyExistsException when the id is taken */
  create(collectionId: string): Promise<CollectionFile> {
    return this.serial(async () => {
      if (await this.read(collectionId))
        throw new RekognitionError('ResourceAlreadyExistsException', `The collection id: ${collectionId} already exists`);
      const file: CollectionFile = { collectionId, arn: this.arnOf(collectionId), createdAt: new Date().toISOString(), faces: [] };
      await this.write(file);
      return file;
    });
  }

  /** Creates the collection unless it exists (what a stack deployment does for its AWS::Rekognition::Collection). */
  ensure(collectionId: string): Promise<void> {
    return this.serial(async () => {
      if (!(await this.read(collectionId)))
        await this.write({ collectionId, arn: this.arnOf(collectionId), createdAt: new Date().toISOString(), faces: [] });
    });
  }

  /** @throws RekognitionError ResourceNotFoundException */
  delete(collectionId: string): Promise<void> {
    return this.serial(async () => {
      await this.require(collectionId);
      this.cache.delete(collectionId);
      await rm(this.fileOf(collectionId), { force: true });
    });
  }

  /** @throws RekognitionError ResourceNotFoundException */
  get(collectionId: string): Promise<CollectionFile> {
    return this.serial(() => this.require(collectionId));
  }

  async list(): Promise<string[]> {
    const names = await readdir(this.dir).catch(() => [] as string[]);
    return names
      .filter((name) => name.endsWith('.json'))
      .map((name) => name.slice(0, -'.json'.length))
      .sort();
  }

  /** Adds faces (new FaceIds) and returns them. @throws RekognitionError ResourceNotFoundException */
  add(
    collectionId: string,
    faces: readonly Omit<StoredCollectionFace, 'FaceId' | 'IndexFacesModelVersion'>[],
  ): Promise<StoredCollectionFace[]> {
    return this.serial(async () => {
      const file = await this.require(collectionId);
      const added = faces.map((face) => ({ ...face, FaceId: randomUUID(), IndexFacesModelVersion: LOCAL_FACE_MODEL_VERSION }));
      file.faces.push(...added);
      await this.write(file);
      return added;
    });
  }

  /** Removes the faces with these ids and returns the ids that existed. @throws RekognitionError ResourceNotFoundException */
  remove(collectionId: string, faceIds: readonly string[]): Promise<string[]> {
    return this.serial(async () => {
      const file = await this.require(collectionId);
      const wanted = new Set(faceIds);
      const removed = file.faces.filter((face) => wanted.has(face.FaceId)).map((face) => face.FaceId);
      if (removed.length > 0) {
        file.faces = file.faces.filter((face) => !wanted.has(face.FaceId));
        await this.write(file);
      }
      return removed;
    });
  }

  private fileOf(collectionId: string): string {
    return join(this.dir, `${collectionId}.json`);
  }

  private async require(collectionId: string): Promise<CollectionFile> {
    const file = await this.read(collectionId);
    if (!file) throw new RekognitionError('ResourceNotFoundException', `The collection id: ${collectionId} does not exist`);
    return file;
  }

  private async read(collectionId: string): Promise<CollectionFile | undefined> {
    const cached = this.cache.get(collectionId);
    if (cached) return cached;
    try {
      const file = JSON.parse(await readFile(this.fileOf(collectionId), 'utf8')) as CollectionFile;
      this.cache.set(collectionId, file);
      return file;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  private async write(file: CollectionFile): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const target = this.fileOf(file.collectionId);
    const temporary = `${target}.${process.pid}.tmp`;
    await writeFile(temporary, JSON.stringify(file));
    await rename(temporary, target);
    this.cache.set(file.collectionId, file);
  }
}
