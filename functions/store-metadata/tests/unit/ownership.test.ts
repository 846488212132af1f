import { mayWrite, ownershipOf } from '../../src/ownership';

const OLD = { revision: 'aaaaaaaaaaaaaaaa', sourceOrder: '0000000000000000000000000000000A' };
const NEW = { revision: 'bbbbbbbbbbbbbbbb', sourceOrder: '0000000000000000000000000000000B' };

describe('ownershipOf', () => {
  it.each([
    [null, NEW, 'absent'],
    [{ ...OLD, status: 'SUCCEEDED' as const }, NEW, 'older-stored'],
    [{ ...NEW, status: 'SUCCEEDED' as const }, NEW, 'same-revision'],
    [{ ...NEW, status: 'SUCCEEDED' as const }, OLD, 'newer-stored'],
    [{ ...NEW, revision: 'cccccccccccccccc', status: 'FAILED' as const }, NEW, 'newer-stored'],
  ])('classifies stored %j against incoming %j as %s', (stored, incoming, expected) => {
    // Act + Assess
    expect(ownershipOf(stored, incoming)).toBe(expected);
  });
});

describe('mayWrite', () => {
  it('lets a success replace an older revision, its own revision, or nothing', () => {
    // Act + Assess
    expect(mayWrite('SUCCEEDED', null, NEW)).toBe(true);
    expect(mayWrite('SUCCEEDED', { ...OLD, status: 'SUCCEEDED' }, NEW)).toBe(true);
    expect(mayWrite('SUCCEEDED', { ...NEW, status: 'FAILED' }, NEW)).toBe(true);
  });

  it('never lets a stale revision replace a newer one, success or failure', () => {
    // Act + Assess
    expect(mayWrite('SUCCEEDED', { ...NEW, status: 'SUCCEEDED' }, OLD)).toBe(false);
    expect(mayWrite('FAILED', { ...NEW, status: 'SUCCEEDED' }, OLD)).toBe(false);
    expect(mayWrite('FAILED', { ...NEW, status: 'FAILED' }, OLD)).toBe(false);
  });

  it('never lets a failure replace a success of the same revision, but lets it replace an older success', () => {
    // Act + Assess
    expect(mayWrite('FAILED', { ...NEW, status: 'SUCCEEDED' }, NEW)).toBe(false);
    expect(mayWrite('FAILED', { ...NEW, status: 'FAILED' }, NEW)).toBe(true);
    expect(mayWrite('FAILED', { ...OLD, status: 'SUCCEEDED' }, NEW)).toBe(true);
  });
});
