import { computeChecksum, crc32, crc32ByTable } from '../../checksums';

describe('checksums', () => {
  it('computes the flexible checksums S3 reports for "hello world"', async () => {
    // Prepare
    const bytes = Buffer.from('hello world');

    // Act
    const values = await Promise.all((['crc32', 'crc32c', 'sha256'] as const).map((algorithm) => computeChecksum(algorithm, bytes)));

    // Assess (values from the AWS S3 user guide examples and sha256sum)
    expect(values).toEqual(['DUoRhQ==', 'yZRlqg==', 'uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek=']);
  });

  it('gives the same CRC32 from the JavaScript fallback as from the runtime', () => {
    // Prepare
    const bytes = Buffer.from(Array.from({ length: 5000 }, (_, index) => (index * 31) & 255));

    // Act + Assess
    expect(crc32ByTable(bytes)).toBe(crc32(bytes));
    expect(crc32ByTable(Buffer.from('hello world'))).toBe(0x0d4a1185);
  });
});
