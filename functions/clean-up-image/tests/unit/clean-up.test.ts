import { pruneSupersededRevisions, removeUpload } from '../../src/clean-up';
import type { UploadRemoved } from '../../src/types';
import { DELETED_STATUS, MemoryImage } from './support/memory-deps';

const IMAGE_ID = '5f0c1d2e3f405162738495a6b7c8d9e0';
const order = (n: number): string => n.toString(16).toUpperCase().padStart(32, '0');

function removal(deleteOrder: string, deletedRevision: string | null = null): UploadRemoved {
  return { kind: 'removed', bucket: 'uploads', key: 'uploads/holiday/beach.jpg', imageId: IMAGE_ID, deleteOrder, deletedRevision };
}

describe('removeUpload', () => {
  it('leaves a DELETED item and removes every search item and every output of the deleted upload', async () => {
    // Prepare
    const image = new MemoryImage(IMAGE_ID)
      .store('bbbbbbbbbbbbbbbb', order(20))
      .outputs('aaaaaaaaaaaaaaaa', order(10))
      .outputs('0ld0ld0ld0ld0ld0', undefined);

    // Act
    const outcome = await removeUpload(removal(order(30)), image.deps());

    // Assess
    expect(outcome).toEqual({ imageId: IMAGE_ID, result: 'image-removed', deletedItems: 2, deletedObjects: 9, deletedFaces: 0 });
    expect(image.status()).toBe(DELETED_STATUS);
    expect([...image.items.keys()]).toEqual(['IMAGE']);
    expect(image.objects.size).toBe(0);
  });

  it('deletes the face vectors its face items name from the collection, then the face items', async () => {
    // Prepare: two faces indexed for people grouping, each a FACE# item and a vector in the collection.
    const image = new MemoryImage(IMAGE_ID).store('bbbbbbbbbbbbbbbb', order(20));
    for (const faceId of ['f1', 'f2']) {
      image.items.set(`FACE#${faceId}`, { faceId });
      image.faceVectors.add(faceId);
    }
    image.faceVectors.add('other-image-face');

    // Act
    const outcome = await removeUpload(removal(order(30)), image.deps());

    // Assess
    expect(outcome.deletedFaces).toBe(2);
    expect([...image.faceVectors]).toEqual(['other-image-face']);
    expect([...image.items.keys()]).toEqual(['IMAGE']);
  });

  it('keeps the outputs and items of an upload made after the deletion, even while its run is going', async () => {
    // Prepare: the old revision is stored; a newer upload's outputs exist, its items are not written yet.
    const image = new MemoryImage(IMAGE_ID).store('aaaaaaaaaaaaaaaa', order(10)).outputs('cccccccccccccccc', order(40));

    // Act
    const outcome = await removeUpload(removal(order(30)), image.deps());

    // Assess
    expect(outcome.result).toBe('image-removed');
    expect(image.revisions()).toEqual(['cccccccccccccccc']);
  });

  it('changes nothing when a later upload already holds the image', async () => {
    // Prepare
    const image = new MemoryImage(IMAGE_ID).store('cccccccccccccccc', order(40)).outputs('aaaaaaaaaaaaaaaa', order(10));

    // Act
    const outcome = await removeUpload(removal(order(30)), image.deps());

    // Assess
    expect(outcome.result).toBe('newer-upload-kept');
    expect(image.status()).toBe('SUCCEEDED');
    expect(image.revisions()).toEqual(['aaaaaaaaaaaaaaaa', 'cccccccccccccccc']);
    expect(image.items.size).toBe(3);
  });

  it("removes only the deleted version's outputs when the upload still has a current version", async () => {
    // Prepare
    const image = new MemoryImage(IMAGE_ID).store('bbbbbbbbbbbbbbbb', order(20)).outputs('aaaaaaaaaaaaaaaa', order(10));
    image.uploadPresent = true;

    // Act
    const old = await removeUpload(removal(order(30), 'aaaaaaaaaaaaaaaa'), image.deps());
    const current = await removeUpload(removal(order(31), 'bbbbbbbbbbbbbbbb'), image.deps());

    // Assess
    expect(old).toMatchObject({ result: 'version-removed', deletedObjects: 3 });
    expect(current).toMatchObject({ result: 'version-removed', deletedObjects: 0 });
    expect(image.revisions()).toEqual(['bbbbbbbbbbbbbbbb']);
    expect(image.status()).toBe('SUCCEEDED');
  });
});

describe('pruneSupersededRevisions', () => {
  it('deletes the outputs of older revisions and keeps the stored one and any newer one', async () => {
    // Prepare
    const image = new MemoryImage(IMAGE_ID)
      .store('bbbbbbbbbbbbbbbb', order(20))
      .outputs('aaaaaaaaaaaaaaaa', order(10))
      .outputs('0ld0ld0ld0ld0ld0', undefined)
      .outputs('cccccccccccccccc', order(40));

    // Act
    const outcome = await pruneSupersededRevisions({ kind: 'stored', imageId: IMAGE_ID }, image.deps());

    // Assess
    expect(outcome).toMatchObject({ result: 'revisions-pruned', deletedObjects: 6 });
    expect(image.revisions()).toEqual(['bbbbbbbbbbbbbbbb', 'cccccccccccccccc']);
  });

  it('does nothing for an image that is not stored or was deleted', async () => {
    // Prepare
    const empty = new MemoryImage(IMAGE_ID).outputs('aaaaaaaaaaaaaaaa', order(10));
    const deleted = new MemoryImage(IMAGE_ID).outputs('aaaaaaaaaaaaaaaa', order(10));
    await removeUpload(removal(order(5)), deleted.deps());

    // Act
    const outcomes = [
      await pruneSupersededRevisions({ kind: 'stored', imageId: IMAGE_ID }, empty.deps()),
      await pruneSupersededRevisions({ kind: 'stored', imageId: IMAGE_ID }, deleted.deps()),
    ];

    // Assess
    expect(outcomes.map((o) => o.result)).toEqual(['nothing-stored', 'nothing-stored']);
    expect(empty.revisions()).toEqual(['aaaaaaaaaaaaaaaa']);
  });
});
