import { PEOPLE_LOCK_SK, peoplePk, withOwnerLock, type LockRequest, type LockTable } from '../../src/owner-lock';

/** A table holding lock items with DynamoDB's conditional semantics for the two conditions the lock uses. */
function memoryTable(clock: { now: number }) {
  const items = new Map<string, Record<string, unknown>>();
  const keyOf = (r: LockRequest) => JSON.stringify(r.Item ? { PK: r.Item.PK, SK: r.Item.SK } : r.Key);
  const table: LockTable = {
    async tryPut(request) {
      const held = items.get(keyOf(request));
      if (held && (held.leaseUntil as number) >= (request.ExpressionAttributeValues[':now'] as number)) return false;
      items.set(keyOf(request), request.Item!);
      return true;
    },
    async deleteIf(request) {
      if (items.get(keyOf(request))?.holder === request.ExpressionAttributeValues[':token']) items.delete(keyOf(request));
    },
  };
  const sleep = async (ms: number) => {
    clock.now += ms;
  };
  return { items, table, sleep };
}

describe('withOwnerLock', () => {
  it('runs the work under an item keyed by the owner and removes it afterwards', async () => {
    // Prepare
    const clock = { now: 1000 };
    const { items, table, sleep } = memoryTable(clock);
    let seen: unknown;

    // Act
    const result = await withOwnerLock(
      table,
      'T',
      'alice',
      async () => {
        seen = [...items.values()][0];
        return 42;
      },
      { now: () => clock.now, sleep },
    );

    // Assess
    expect(result).toBe(42);
    expect(seen).toMatchObject({ PK: peoplePk('alice'), SK: PEOPLE_LOCK_SK, leaseUntil: 1000 + 90_000 });
    expect(items.size).toBe(0);
  });

  it('waits for a held lock, takes over one whose lease has passed, and gives up with PeopleLockBusyError', async () => {
    // Prepare: a live lease held by another run, then a dead one.
    const clock = { now: 0 };
    const { items, table, sleep } = memoryTable(clock);
    const key = JSON.stringify({ PK: peoplePk('alice'), SK: PEOPLE_LOCK_SK });
    items.set(key, { PK: peoplePk('alice'), SK: PEOPLE_LOCK_SK, holder: 'other', leaseUntil: 60_000 });

    // Act
    const busy = withOwnerLock(table, 'T', 'alice', async () => 'ran', { now: () => clock.now, sleep, waitMs: 10_000 });
    await expect(busy).rejects.toMatchObject({ name: 'PeopleLockBusyError' });
    const waitedFor = clock.now;
    const takenOver = await withOwnerLock(table, 'T', 'alice', async () => 'ran', { now: () => clock.now, sleep, waitMs: 120_000 });

    // Assess
    expect(waitedFor).toBeGreaterThanOrEqual(10_000);
    expect(takenOver).toBe('ran');
    expect(clock.now).toBeGreaterThan(60_000);
  });

  it('releases the lock when the work throws, but never a lock another run took over', async () => {
    // Prepare
    const clock = { now: 0 };
    const { items, table, sleep } = memoryTable(clock);

    // Act
    await expect(
      withOwnerLock(
        table,
        'T',
        'bob',
        async () => {
          throw new Error('boom');
        },
        { now: () => clock.now, sleep },
      ),
    ).rejects.toThrow('boom');
    const released = items.size;
    await withOwnerLock(
      table,
      'T',
      'bob',
      async () => {
        // Another run takes the lock over (as after a lease passed) while this one still works.
        items.set(JSON.stringify({ PK: peoplePk('bob'), SK: PEOPLE_LOCK_SK }), { holder: 'newer', leaseUntil: 1e12 });
      },
      { now: () => clock.now, sleep },
    );

    // Assess
    expect(released).toBe(0);
    expect([...items.values()]).toEqual([{ holder: 'newer', leaseUntil: 1e12 }]);
  });
});
