import { DELETED_STATUS, IMAGE_SK } from '@smart-image-pipeline/contracts';
import { tombstoneItem, type CleanUpDeps, type StoredImage } from '../../../src/clean-up';
import type { RevisionFolder } from '../../../src/types';

/** One image's items (by sort key), its outputs (key -> source-order metadata) and whether its upload exists. */
export class MemoryImage {
  readonly items = new Map<string, Record<string, unknown>>();
  readonly objects = new Map<string, string | undefined>();
  /** The face collection's vectors of this image (face ids), as a fake collection holds them. */
  readonly faceVectors = new Set<string>();
  uploadPresent = false;

  constructor(readonly imageId: string) {}

  /** A stored revision: the image item, two label items and its outputs. */
  store(revision: string, sourceOrder: string, status = 'SUCCEEDED'): this {
    this.items.set(IMAGE_SK, { revision, sourceOrder, status });
    for (const label of ['LABEL#Dog', 'PHASH#0']) this.items.set(label, { sourceOrder, revision });
    return this.outputs(revision, sourceOrder);
  }

  /** Outputs of a revision, with its order as metadata (undefined: written before the metadata existed). */
  outputs(revision: string, sourceOrder: string | undefined): this {
    for (const name of ['w256.webp', 'w256.jpg', 'rekognition/detect-faces.json'])
      this.objects.set(`images/${this.imageId}/${revision}/${name}`, sourceOrder);
    return this;
  }

  revisions(): string[] {
    return [...new Set([...this.objects.keys()].map((key) => key.split('/')[2]))].sort();
  }

  deps(): CleanUpDeps {
    return {
      logger: { info: () => undefined },
      uploadExists: async () => this.uploadPresent,
      readImage: async () => (this.items.get(IMAGE_SK) as StoredImage | undefined) ?? null,
      putTombstone: async (imageId, deleteOrder) => {
        const stored = this.items.get(IMAGE_SK) as StoredImage | undefined;
        if (stored && stored.sourceOrder > deleteOrder) return false;
        this.items.set(IMAGE_SK, tombstoneItem(imageId, deleteOrder, new Date('2026-11-26T10:00:00Z'), 7));
        return true;
      },
      deleteChildItems: async (_imageId, order) => {
        let deleted = 0;
        for (const [sk, item] of this.items) {
          // As the real condition: items without a sourceOrder always go, those of a later upload stay.
          if (sk === IMAGE_SK || (item.sourceOrder !== undefined && String(item.sourceOrder) > order)) continue;
          this.items.delete(sk);
          deleted += 1;
        }
        return deleted;
      },
      listRevisionFolders: async () =>
        this.revisions().map((revision): RevisionFolder => ({
          revision,
          keys: [...this.objects.keys()].filter((key) => key.split('/')[2] === revision),
        })),
      folderSourceOrder: async (folder) => this.objects.get(folder.keys[0]),
      deleteFaceVectors: async (_imageId, order) => {
        const faceIds = [...this.items]
          .filter(([sk, item]) => sk.startsWith('FACE#') && (item.sourceOrder === undefined || String(item.sourceOrder) <= order))
          .map(([sk]) => sk.slice('FACE#'.length));
        for (const faceId of faceIds) this.faceVectors.delete(faceId);
        return faceIds.length;
      },
      deleteObjects: async (keys) => {
        for (const key of keys) this.objects.delete(key);
      },
    };
  }

  status(): unknown {
    return this.items.get(IMAGE_SK)?.status;
  }
}

export { DELETED_STATUS };
