import { defaultWorkerCount } from '../../service';

const GIB = 1024 ** 3;

describe('default worker count', () => {
  it('runs one worker per core, up to two, when memory allows', () => {
    expect(defaultWorkerCount(2, 24 * GIB)).toBe(2);
    expect(defaultWorkerCount(16, 24 * GIB)).toBe(2);
    expect(defaultWorkerCount(1, 24 * GIB)).toBe(1);
  });

  it('keeps the pool within half the machine memory at its peak, but never below one worker', () => {
    expect(defaultWorkerCount(4, 2 * GIB)).toBe(1);
    expect(defaultWorkerCount(4, 3 * GIB)).toBe(2);
    expect(defaultWorkerCount(4, 0.5 * GIB)).toBe(1);
  });
});
