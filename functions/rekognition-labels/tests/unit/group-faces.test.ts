import { forgetFacesOfImage, type PeopleLock } from '../../src/people/group-faces';
import { MemoryFaceStore, memoryLock, noLock, setUp } from './people-fakes';

describe('groupFaces', () => {
  it("puts one owner's matching faces from different photos into one person, and a new face into a new person", async () => {
    // Prepare
    const { group, personIds } = setUp();

    // Act
    const first = await group('img1', 'ann-1.jpg', 'alice');
    const second = await group('img2', 'ann-and-bob.jpg', 'alice');

    // Assess
    const [ann] = personIds(first);
    expect(personIds(second)[0]).toBe(ann);
    expect(personIds(second)[1]).not.toBe(ann);
    expect(second).toMatchObject({ title: 'People', detector: 'IndexFaces' });
    expect(second!.items[0]).toMatchObject({ name: 'Person', confidence: 99.5, boxes: [{ left: 0.1 }] });
  });

  it('gives two photos of one person analysed at the same moment one person', async () => {
    // Prepare
    const { group, personIds } = setUp();

    // Act: the two runs interleave at every await, as two concurrent analyses do.
    const [first, second] = await Promise.all([group('img1', 'ann-1.jpg', 'alice'), group('img2', 'ann-2.jpg', 'alice')]);

    // Assess
    expect(personIds(first)).toEqual(personIds(second));
  });

  it("gives one person even when the other run's face record is written late (the race the owner lock closes)", async () => {
    // Prepare: img2's first record write takes 200 ms (a slow table), so without the lock img1 searches while img2's
    // vector exists and its record does not, and img2 (indexed first, so older) keeps a person of its own.
    const slowStore = () => {
      const store = new MemoryFaceStore();
      const put = store.putFace.bind(store);
      let delayed = false;
      store.putFace = async (face) => {
        if (face.imageId === 'img2' && !delayed) {
          delayed = true;
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
        return put(face);
      };
      return store;
    };
    const race = async (lock: PeopleLock) => {
      const { group, personIds } = setUp(lock, slowStore());
      const second = group('img2', 'ann-2.jpg', 'alice');
      await new Promise((resolve) => setTimeout(resolve, 20));
      const first = await group('img1', 'ann-1.jpg', 'alice');
      return [personIds(first)[0], personIds(await second)[0]];
    };

    // Act
    const [unlockedA, unlockedB] = await race(noLock);
    const [lockedA, lockedB] = await race(memoryLock());

    // Assess: the test can fail (it does without the lock), and the lock makes it one person.
    expect(unlockedA).not.toBe(unlockedB);
    expect(lockedA).toBe(lockedB);
  });

  it("never matches a face to another owner's person, however similar", async () => {
    // Prepare
    const { group, personIds } = setUp();
    const alices = await group('img1', 'ann-1.jpg', 'alice');

    // Act
    const bobs = await group('img2', 'ann-2.jpg', 'bob');

    // Assess
    expect(personIds(bobs)[0]).not.toBe(personIds(alices)[0]);
  });

  it('never makes two faces of one photo one person, and groups unowned images among themselves', async () => {
    // Prepare
    const { group, personIds, store } = setUp();

    // Act
    const twins = await group('img1', 'twins.jpg');

    // Assess
    const [a, b] = personIds(twins);
    expect(a).not.toBe(b);
    expect([...store.records.values()].map((face) => face.owner)).toEqual(['unowned', 'unowned']);
  });

  it('re-analysing an image replaces its faces in the collection and the table instead of adding more', async () => {
    // Prepare
    const { group, collection, store } = setUp();
    await group('img1', 'ann-and-bob.jpg', 'alice');

    // Act
    await group('img1', 'ann-and-bob.jpg', 'alice');

    // Assess
    expect(collection.faces.size).toBe(2);
    expect(store.records.size).toBe(2);
  });

  it("forgetting an image deletes only that image's vectors and records", async () => {
    // Prepare
    const { group, collection, store } = setUp();
    await group('img1', 'ann-1.jpg', 'alice');
    await group('img2', 'ann-2.jpg', 'alice');

    // Act
    const removed = await forgetFacesOfImage('img1', collection, store);

    // Assess
    expect(removed).toBe(1);
    expect([...collection.faces.values()].map((face) => face.imageId)).toEqual(['img2']);
    expect([...store.records.values()].map((face) => face.imageId)).toEqual(['img2']);
    expect(collection.scans).toBe(0);
  });

  it('deletes the vectors of a run that died between IndexFaces and its face records (found by ExternalImageId)', async () => {
    // Prepare: img1's run indexes two faces, then its first record write fails (the function timed out, say).
    const { group, collection, store } = setUp();
    const putFace = store.putFace.bind(store);
    store.putFace = async () => {
      throw new Error('the run died here');
    };
    await expect(group('img1', 'ann-and-bob.jpg', 'alice')).rejects.toThrow('the run died here');
    store.putFace = putFace;
    const left = collection.faces.size;

    // Act
    const removed = await forgetFacesOfImage('img1', collection, store);

    // Assess: no record named them, the marker led to them; the marker is gone afterwards.
    expect(left).toBe(2);
    expect(removed).toBe(2);
    expect(collection.faces.size).toBe(0);
    expect(collection.scans).toBe(1);
    expect(store.records.size).toBe(0);
    expect(store.indexing.size).toBe(0);
  });

  it('leaves no indexing marker behind after a completed run', async () => {
    // Prepare
    const { group, store } = setUp();

    // Act
    await group('img1', 'ann-1.jpg', 'alice');

    // Assess
    expect(store.indexing.size).toBe(0);
  });
});
