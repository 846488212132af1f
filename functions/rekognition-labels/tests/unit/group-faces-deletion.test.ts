import { DELETED_STATUS } from '@smart-image-pipeline/contracts';
import { forgetFacesOfImage } from '../../src/people/group-faces';
import { gate, setUp, type FakeCollection } from './people-fakes';

// sourceOrders as the trigger makes them (32 hex): the upload, its deletion, and a later upload of the same key.
const UPLOAD = '0'.repeat(31) + '1';
const DELETION = '0'.repeat(31) + '2';
const REUPLOAD = '0'.repeat(31) + '3';

type Fakes = ReturnType<typeof setUp>;
type Section = Awaited<ReturnType<Fakes['group']>>;
type Hook = 'beforeIndexing' | 'afterIndexing' | 'beforeSearching' | 'afterSearching';

/** What CleanUpImage does for a deleted upload, in its order: the DELETED item first, then the faces up to it. */
async function deleteUpload({ store, collection }: Fakes, imageId: string, deleteOrder = DELETION): Promise<void> {
  store.images.set(imageId, { status: DELETED_STATUS, sourceOrder: deleteOrder });
  await forgetFacesOfImage(imageId, collection, store, deleteOrder);
}

/** Starts `run` with the fake collection's first call of `hook` held, runs `meanwhile`, then lets the call go on. */
async function whileHeld(collection: FakeCollection, hook: Hook, run: () => Promise<Section>, meanwhile: () => Promise<void>) {
  const held = gate();
  collection[hook] = held.hold;
  const section = run();
  await held.reached;
  await meanwhile();
  held.release();
  return section;
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
  it.each<[Hook, string]>([
    ['beforeIndexing', 'IndexFaces before it adds the vectors (the deletion finds neither vectors nor records)'],
    ['afterIndexing', 'IndexFaces after it added the vectors (the deletion finds them through the marker)'],
    ['beforeSearching', 'SearchFaces (the run saw no deletion; SearchFaces then fails for the deleted face)'],
    ['afterSearching', "SearchFaces' answer (the run would write the face's person back to a deleted record)"],
  ])('the deletion runs while %s is held: nothing of the image is left, other images keep theirs', async (hook) => {
    // Prepare: img0 holds the same person, so the run rewrites img1's face record with img0's person.
    const fakes = setUp();
    await fakes.group('img0', 'ann-1.jpg', 'alice', UPLOAD);

    // Act
    const section = await whileHeld(
      fakes.collection,
      hook,
      () => fakes.group('img1', 'ann-2.jpg', 'alice', UPLOAD),
      () => deleteUpload(fakes, 'img1'),
    );

    // Assess
    expect(section).toBeUndefined();
    expect(leftOf(fakes, 'img1')).toEqual(NOTHING);
    expect(leftOf(fakes, 'img0').records).toHaveLength(1);
    expect(leftOf(fakes, 'img0').vectors).toHaveLength(1);
  });

  it('an image deleted before its people step gets no IndexFaces call at all', async () => {
    // Prepare: the deletion ran whole before the run reached the people step.
    const fakes = setUp();
    await deleteUpload(fakes, 'img1');

    // Act
    const section = await fakes.group('img1', 'ann-and-bob.jpg', 'alice', UPLOAD);

    // Assess
    expect(section).toBeUndefined();
    expect(fakes.collection.indexCalls).toBe(0);
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

    // Act
    const section = await whileHeld(
      fakes.collection,
      'beforeIndexing',
      () => fakes.group('img1', 'ann-and-bob.jpg', 'alice', UPLOAD),
      async () => void fakes.store.images.set('img1', { status: DELETED_STATUS, sourceOrder: DELETION }),
    );
    const afterRun = leftOf(fakes, 'img1');
    await forgetFacesOfImage('img1', fakes.collection, fakes.store, DELETION);

    // Assess: the run saw the DELETED item and undid its indexing itself.
    expect(section).toBeUndefined();
    expect(afterRun).toEqual(NOTHING);
    expect(leftOf(fakes, 'img1')).toEqual(NOTHING);
  });

  it('keeps the faces of a later upload of the key while a deletion of the earlier upload runs', async () => {
    // Prepare: the key was deleted (DELETION) and uploaded again (REUPLOAD); the deletion is processed while the new
    // upload's IndexFaces runs.
    const fakes = setUp();

    // Act
    const section = await whileHeld(
      fakes.collection,
      'beforeIndexing',
      () => fakes.group('img1', 'ann-and-bob.jpg', 'alice', REUPLOAD),
      () => deleteUpload(fakes, 'img1', DELETION),
    );
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

    // Assess: the late run was refused before IndexFaces.
    expect(late).toBeUndefined();
    expect(fakes.collection.indexCalls).toBe(1);
    expect(leftOf(fakes, 'img1').vectors).toHaveLength(1);
    expect(leftOf(fakes, 'img1').records.map((face) => face.sourceOrder)).toEqual([REUPLOAD]);
  });
});
