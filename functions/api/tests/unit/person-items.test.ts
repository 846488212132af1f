import { membersOf, personWrites, rootOf, withCurrentPeople, type PersonItem } from '../../src/people/person-items';

const items = new Map<string, PersonItem>([
  ['a', { personId: 'a', mergedInto: 'b' }],
  ['b', { personId: 'b', mergedInto: 'c' }],
  ['c', { personId: 'c', name: 'Carla' }],
  ['d', { personId: 'd' }],
]);

describe('person items', () => {
  it('follows merges to the person an id stands for now, and lists who was merged into it', () => {
    // Assess
    expect(rootOf('a', items)).toBe('c');
    expect(rootOf('d', items)).toBe('d');
    expect(rootOf('unknown', items)).toBe('unknown');
    expect(membersOf('c', items).sort()).toEqual(['a', 'b', 'c']);
  });

  it("maps an image's people section through the merges and leaves other sections alone", () => {
    // Prepare
    const analysis = {
      sections: {
        labels: { title: 'Labels', detector: 'DetectLabels', items: [{ name: 'Dog', confidence: 90 }] },
        people: {
          title: 'People',
          detector: 'IndexFaces',
          items: [{ name: 'Person', confidence: 99, attributes: { personId: 'a', faceId: 'f' } }],
        },
      },
    };

    // Act
    const mapped = withCurrentPeople(analysis, items);

    // Assess
    expect(mapped.sections.people.items[0].attributes).toEqual({ personId: 'c', faceId: 'f' });
    expect(mapped.sections.labels).toBe(analysis.sections.labels);
    expect(analysis.sections.people.items[0].attributes.personId).toBe('a');
  });

  it('answers 503 PeopleBusy when grouping holds the owner lock longer than a request may wait', async () => {
    // Prepare: every conditional put fails, as while an analysis holds the lock.
    const clock = { now: 0 };
    const documents = {
      send: async () => {
        throw Object.assign(new Error('The conditional request failed'), { name: 'ConditionalCheckFailedException' });
      },
    };
    const writes = personWrites(documents as never, 'T', {
      now: () => clock.now,
      sleep: async (ms) => {
        clock.now += ms;
      },
    });

    // Act
    const merge = writes.merge('owner', 'a', 'b', () => undefined);

    // Assess
    await expect(merge).rejects.toMatchObject({ status: 503, code: 'PeopleBusy' });
    expect(clock.now).toBeGreaterThanOrEqual(10_000);
  });
});
