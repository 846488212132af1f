import fc from 'fast-check';
import { decodeObjectKey, MalformedObjectKeyError } from '../../src/object-key';
import { encodeKeyLikeS3 } from './support/s3-key-encoding';

describe('decodeObjectKey', () => {
  it.each([
    ['uploads/a+b.jpg', 'uploads/a b.jpg'],
    ['uploads/a%2Bb.jpg', 'uploads/a+b.jpg'],
    ['uploads/a+%2B+b.jpg', 'uploads/a + b.jpg'],
    ['uploads/photo+%281%29.jpg', 'uploads/photo (1).jpg'],
    ['uploads/photo+(1).jpg', 'uploads/photo (1).jpg'],
    ['uploads/%C3%9Cber+%E5%86%99%E7%9C%9F+%F0%9F%98%80.png', 'uploads/Über 写真 😀.png'],
    ['uploads/100%25+sure.jpg', 'uploads/100% sure.jpg'],
    ['uploads/plain.jpg', 'uploads/plain.jpg'],
  ])('decodes %s to %s', (encoded, expected) => {
    // Act
    const decoded = decodeObjectKey(encoded);

    // Assess
    expect(decoded).toBe(expected);
  });

  it('decodes exactly once, so an encoded percent sign stays a percent sign', () => {
    // Act
    const decoded = decodeObjectKey('uploads/%252B.jpg');

    // Assess
    expect(decoded).toBe('uploads/%2B.jpg');
  });

  it.each(['uploads/100%.jpg', 'uploads/%E5%86.jpg', 'uploads/%zz.jpg', 'uploads/%C3%28.jpg'])(
    'throws MalformedObjectKeyError for broken encoding in %s',
    (encoded) => {
      // Act
      const decode = () => decodeObjectKey(encoded);

      // Assess
      expect(decode).toThrow(MalformedObjectKeyError);
    },
  );

  it('round-trips any Unicode key encoded the way S3 encodes it', () => {
    // Prepare: full code-point range (no lone surrogates: S3 keys are UTF-8) plus the characters that matter most.
    const tricky = fc.constantFrom(' ', '+', '%', '(', ')', '/', '~', '*', "'", '!', '#', '?', '&', '=', 'é', '写', '😀');
    const keyPart = fc.oneof(fc.string({ unit: 'binary', maxLength: 40 }), fc.string({ unit: tricky, maxLength: 20 }));
    const key = fc.array(keyPart, { minLength: 1, maxLength: 4 }).map((parts) => `uploads/${parts.join('')}`);

    // Act + Assess
    fc.assert(
      fc.property(key, (original) => decodeObjectKey(encodeKeyLikeS3(original)) === original),
      { numRuns: 500 },
    );
  });
});
