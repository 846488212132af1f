import { hammingDistance, hashBands } from '../../src/images/perceptual-hash';

describe('perceptual hash helpers', () => {
  it('splits a hash into four bands and counts differing bits', () => {
    expect(hashBands('0123456789abcdef')).toEqual(['0123', '4567', '89ab', 'cdef']);
    expect(hashBands('nope')).toEqual([]);
    expect(hammingDistance('0000000000000000', '000000000000000f')).toBe(4);
    expect(hammingDistance('ffffffffffffffff', '0000000000000000')).toBe(64);
  });
});
