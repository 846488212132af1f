import { DELETED_STATUS } from '@smart-image-pipeline/contracts';
import { forgetFacesOfImage } from '../../src/people/group-faces';
import { gate, setUp } from './people-fakes';

// sourceOrders as the trigger makes them (32 hex): the upload, its deletion, and a later upload of the same key.
const UPLOAD = '0'.repeat(31) + '1';
const DELETION = '0'.repeat(31) + '2';
const REUPLOAD = '0'.repeat(31) + '3';

type Fakes = ReturnType<typeof setUp>;

/** What CleanUpImage does for a deleted upload, in its order: the DELETED item first, then the faces up to it. */
async function deleteUpload({ store, collection }: Fakes, imageId: string, deleteOrder = DELETION): Promise<void> {
  store.images.set(imageId, { status: DELETED_STATUS, sourceOrder: deleteOrder });
  await forgetFacesOfImage(imageId, collection, store, deleteOrder);
}

/** Everything the table and the collection still hold for the image. */
function leftOf({ store, collection }: Fakes, imageId: string) {
  return {
    vectors: collection.facesTaggedWith(imageId),
    records: [...store.records.values()].filter((face) => face.imageId === imageId),
    marker: store.indexing.get(imageId),
  };
}

const NOTHING = { vectors: [], records: [], marker: undefined };

describe('groupFaces and a deletion of the image running at the same time', () => {
  it('IndexFaces held until the deletion has run: the run deletes the vectors it indexed', async () => {
    // Prepare: IndexFaces waits before adding its vectors, so the deletion finds neither records nor vectors.
    const fakes = setUp();
    const held = gate();
    fakes.collection.beforeIndexing = held.hold;
    const run = fakes.group('img1', 'ann-and-bob.jpg', 'alice', UPLOAD);
    await held.reached;

    // Act
    await deleteUpload(fakes, 'img1');
    held.release();
    const section = await run;

    // Assess
    expect(section).toBeUndefined();
    expect(fakes.collection.faces.size).toBe(0);
    expect(leftOf(fakes, 'img1')).toEqual(NOTHING);
  });

  it('IndexFaces held after adding its vectors until the deletion has run: nothing is left either', async () => {
    // Prepare: the vectors exist, their records do not; the deletion finds them through the marker.
    const fakes = setUp();
    const held = gate();
    fakes.collection.afterIndexing = held.hold;
    const run = fakes.group('img1', 'ann-and-bob.jpg', 'alice', UPLOAD);
    await held.reached;

    // Act
    await deleteUpload(fakes, 'img1');
    held.release();
    const section = await run;

    // Assess
    expect(section).toBeUndefined();
    expect(leftOf(fakes, 'img1')).toEqual(NOTHING);
  });

  it('the deletion held until grouping has finished: the deletion deletes what the run recorded', async () => {
    // Prepare
    const fakes = setUp();

    // Act: the run first, whole; then the deletion.
    const section = await fakes.group('img1', 'ann-and-bob.jpg', 'alice', UPLOAD);
    const recorded = leftOf(fakes, 'img1').vectors;
    await deleteUpload(fakes, 'img1');

    // Assess
    expect(section?.items).toHaveLength(2);
    expect(recorded).toHaveLength(2);
    expect(leftOf(fakes, 'img1')).toEqual(NOTHING);
  });

  it("the deletion's DELETED item written while IndexFaces runs, its face deletion held until grouping has finished", async () => {
    // Prepare
    const fakes = setUp();
    const held = gate();
    fakes.collection.beforeIndexing = held.hold;
    const run = fakes.group('img1', 'ann-and-bob.jpg', 'alice', UPLOAD);
    await held.reached;

    // Act
    fakes.store.images.set('img1', { status: DELETED_STATUS, sourceOrder: DELETION });
    held.release();
    const section = await run;
    const afterRun = leftOf(fakes, 'img1');
    await forgetFacesOfImage('img1', fakes.collection, fakes.store, DELETION);

    // Assess: the run saw the DELETED item and undid its indexing itself.
    expect(section).toBeUndefined();
    expect(afterRun).toEqual(NOTHING);
    expect(leftOf(fakes, 'img1')).toEqual(NOTHING);
  });

  it('a deletion that runs after SearchFaces answered, before the record is rewritten with its person: none is written back', async () => {
    // Prepare: img2's face matches img1's older face, so the run rewrites img2's record with img1's person.
    const fakes = setUp();
    await fakes.group('img1', 'ann-1.jpg', 'alice', UPLOAD);
    const held = gate();
    fakes.collection.afterSearching = held.hold;
    const run = fakes.group('img2', 'ann-2.jpg', 'alice', UPLOAD);
    await held.reached;

    // Act
    await deleteUpload(fakes, 'img2');
    held.release();
    await run;

    // Assess: img2 is gone; img1 keeps its face.
    expect(leftOf(fakes, 'img2')).toEqual(NOTHING);
    expect(leftOf(fakes, 'img1').records).toHaveLength(1);
  });

  it('a deletion that removes the vectors before SearchFaces runs: the run ends without a people section instead of failing', async () => {
    // Prepare: the deletion's DELETED item comes after the run's check, its DeleteFaces before the run's SearchFaces,
    // which Rekognition answers with InvalidParameterException for a FaceId it no longer holds.
    const fakes = setUp();
    const held = gate();
    fakes.collection.beforeSearching = held.hold;
    const run = fakes.group('img1', 'ann-and-bob.jpg', 'alice', UPLOAD);
    await held.reached;

    // Act
    await deleteUpload(fakes, 'img1');
    held.release();
    const section = await run;

    // Assess
    expect(section).toBeUndefined();
    expect(leftOf(fakes, 'img1')).toEqual(NOTHING);
  });

  it('keeps the faces of a later upload of the key while a deletion of the earlier upload runs', async () => {
    // Prepare: the key was deleted (DELETION) and uploaded again (REUPLOAD); the deletion is processed while the new
    // upload's IndexFaces runs.
    const fakes = setUp();
    const held = gate();
    fakes.collection.beforeIndexing = held.hold;
    const run = fakes.group('img1', 'ann-and-bob.jpg', 'alice', REUPLOAD);
    await held.reached;

    // Act
    await deleteUpload(fakes, 'img1', DELETION);
    held.release();
    const section = await run;
    await forgetFacesOfImage('img1', fakes.collection, fakes.store, DELETION);

    // Assess
    expect(section?.items).toHaveLength(2);
    expect(leftOf(fakes, 'img1').vectors).toHaveLength(2);
    expect(leftOf(fakes, 'img1').records.map((face) => face.sourceOrder)).toEqual([REUPLOAD, REUPLOAD]);
  });

  it('a run of an upload replaced by a later stored one deletes what it indexed; the stored one keeps its faces', async () => {
    // Prepare: the later upload's run grouped img1 and StoreMetadata stored it; the earlier upload's run comes late.
    const fakes = setUp();
    await fakes.group('img1', 'ann-1.jpg', 'alice', REUPLOAD);
    fakes.store.images.set('img1', { status: 'SUCCEEDED', sourceOrder: REUPLOAD });

    // Act
    const late = await fakes.group('img1', 'ann-and-bob.jpg', 'alice', UPLOAD);

    // Assess
    expect(late).toBeUndefined();
    expect(leftOf(fakes, 'img1').vectors).toHaveLength(1);
    expect(leftOf(fakes, 'img1').records.map((face) => face.sourceOrder)).toEqual([REUPLOAD]);
  });
});
