import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { executionNameFor, identify, imageIdFor, parseExecutionName, revisionFor, sourceOrderFor } from '../../src';

const EXECUTION_NAME = /^[0-9A-Za-z_-]{1,80}$/;
const BUCKET = 'smart-image-pipeline-uploads-123456789012';

describe('identity', () => {
  it('derives imageId and revision from SHA-256 as docs/contracts.md "Identity" defines', () => {
    // Prepare
    const key = 'uploads/a b+(1).jpg';
    const expectedImageId = createHash('sha256').update(`${BUCKET}/${key}`).digest('hex').slice(0, 32);
    const expectedRevision = createHash('sha256').update(`${BUCKET}/${key}#v1`).digest('hex').slice(0, 16);

    // Act
    const id = identify({ bucket: BUCKET, key, versionId: 'v1', sequencer: '0055AED6DCD90281E5' });

    // Assess
    expect(id).toEqual({
      imageId: expectedImageId,
      revision: expectedRevision,
      executionName: `img-${expectedImageId}-${expectedRevision}`,
      sourceOrder: '000000000000000055AED6DCD90281E5',
    });
    expect(id.executionName).toHaveLength(53);
  });

  it('uses the sequencer for the revision when the bucket is not versioned', () => {
    // Act
    const unversioned = identify({ bucket: BUCKET, key: 'uploads/x.jpg', versionId: null, sequencer: 'ABC' });

    // Assess
    expect(unversioned.revision).toBe(revisionFor(BUCKET, 'uploads/x.jpg', 'ABC'));
  });

  it('keeps the imageId across re-uploads of one key and changes the revision', () => {
    // Act
    const first = identify({ bucket: BUCKET, key: 'uploads/x.jpg', versionId: 'v1', sequencer: '01' });
    const second = identify({ bucket: BUCKET, key: 'uploads/x.jpg', versionId: 'v2', sequencer: '02' });

    // Assess
    expect(second.imageId).toBe(first.imageId);
    expect(second.revision).not.toBe(first.revision);
    expect(second.executionName).not.toBe(first.executionName);
  });

  it('pads sequencers so that later uploads compare greater as strings', () => {
    // Prepare: S3 sequencers of one key grow, but may differ in length.
    const earlier = sourceOrderFor('FFFFFFFFFFFFFFFF');
    const later = sourceOrderFor('0100000000000000000');

    // Assess
    expect(earlier).toHaveLength(32);
    expect(later > earlier).toBe(true);
    expect(sourceOrderFor('0055aed6dcd90281e5')).toBe(sourceOrderFor('0055AED6DCD90281E5'));
  });

  it('rejects a sequencer that is not 1-32 hex digits', () => {
    // Act + Assess
    expect(() => sourceOrderFor('xyz')).toThrow(RangeError);
    expect(() => sourceOrderFor('0'.repeat(33))).toThrow(RangeError);
  });

  it('always gives valid, deterministic execution names', () => {
    // Prepare
    const source = fc.record({
      bucket: fc.string({ minLength: 3, maxLength: 63 }),
      key: fc.string({ unit: 'binary', minLength: 1, maxLength: 200 }),
      versionId: fc.option(fc.string({ minLength: 1, maxLength: 40 }), { nil: null }),
      sequencer: fc.stringMatching(/^[0-9A-F]{1,32}$/),
    });

    // Act + Assess
    fc.assert(
      fc.property(source, (s) => {
        const name = identify(s).executionName;
        return EXECUTION_NAME.test(name) && name.length <= 80 && identify({ ...s }).executionName === name;
      }),
      { numRuns: 300 },
    );
  });

  it('gives distinct execution names to distinct object versions', () => {
    // Prepare
    const version = fc.record({
      key: fc.string({ unit: 'binary', minLength: 1, maxLength: 30 }),
      versionId: fc.string({ minLength: 1, maxLength: 12 }),
    });

    // Act + Assess
    fc.assert(
      fc.property(fc.uniqueArray(version, { minLength: 2, maxLength: 20, selector: (v) => `${v.key}#${v.versionId}` }), (versions) => {
        const names = versions.map((v) => identify({ bucket: BUCKET, ...v, sequencer: '01' }).executionName);
        return new Set(names).size === names.length;
      }),
      { numRuns: 200 },
    );
  });

  it('builds names from ids without reading anything else', () => {
    // Act
    const name = executionNameFor(imageIdFor(BUCKET, 'k'), revisionFor(BUCKET, 'k', 'v'));

    // Assess
    expect(name).toMatch(/^img-[0-9a-f]{32}-[0-9a-f]{16}$/);
  });

  it('reads the ids back from an execution name, also with a re-run suffix', () => {
    // Prepare
    const name = executionNameFor('a'.repeat(32), 'b'.repeat(16));

    // Act
    const parsed = [parseExecutionName(name), parseExecutionName(`${name}-rerun-x1`), parseExecutionName('nightly-run')];

    // Assess
    expect(parsed).toEqual([
      { imageId: 'a'.repeat(32), revision: 'b'.repeat(16) },
      { imageId: 'a'.repeat(32), revision: 'b'.repeat(16) },
      undefined,
    ]);
  });
});
