import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseResizeInput } from '../../src/input';
import { EVENTS } from './helpers/fixtures';

const event = (name: string): unknown => JSON.parse(readFileSync(join(EVENTS, name), 'utf8'));

describe('parseResizeInput', () => {
  test.each(['jpeg-upload.json', 'png-with-recipient.json', 'gif-unversioned.json', 'unsupported-pdf.json'])(
    'accepts the canonical event %s',
    (name) => {
      const input = parseResizeInput(event(name));
      expect(input.imageId).toMatch(/^[0-9a-f]{32}$/);
      expect(input.source.key.startsWith('uploads/')).toBe(true);
    },
  );

  test('turns a missing versionId into null', () => {
    const { source, ...rest } = event('jpeg-upload.json') as { source: Record<string, unknown> };
    const { versionId: _unused, ...withoutVersion } = source;
    expect(parseResizeInput({ ...rest, source: withoutVersion }).source.versionId).toBeNull();
  });

  test('names every problem of a malformed input', () => {
    expect(() => parseResizeInput({ imageId: 'x', source: { bucket: '' } })).toThrow(
      expect.objectContaining({ name: 'InvalidResizeInputError', message: expect.stringMatching(/imageId.*revision.*bucket.*key/) }),
    );
  });

  test('refuses a non-object', () => {
    expect(() => parseResizeInput('uploads/a.jpg')).toThrow(expect.objectContaining({ name: 'InvalidResizeInputError' }));
  });
});
