import fc from 'fast-check';
import {
  isCognitoSub,
  MAX_UPLOAD_NAME_LENGTH,
  ownerFromKey,
  recordFailureInputSchema,
  safeUploadName,
  UNOWNED,
  uploadKeyFor,
} from '../../src';

const SUB = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
const UPLOAD_ID = '0f8fad5b-d9cb-469f-a165-70867728950e';

describe('owner', () => {
  it('reads the owner from a key under uploads/<sub>/', () => {
    expect(ownerFromKey(`uploads/${SUB}/${UPLOAD_ID}-cat.jpg`)).toBe(SUB);
    expect(ownerFromKey(`uploads/${SUB}/deeper/cat.jpg`)).toBe(SUB);
  });

  it('gives every other key under uploads/ no owner', () => {
    const keys = [
      'uploads/cat.jpg',
      `uploads/${SUB}/`,
      `uploads/${SUB}`,
      `uploads/${SUB.toUpperCase()}/cat.jpg`,
      `uploads//${SUB}/cat.jpg`,
      `elsewhere/${SUB}/cat.jpg`,
      `uploads/x${SUB}/cat.jpg`,
    ];
    expect(keys.map((key) => ownerFromKey(key))).toEqual(keys.map(() => UNOWNED));
  });

  it('finds the owner of every key uploadKeyFor builds, whatever the file name', () => {
    fc.assert(
      fc.property(fc.uuid({ version: 4 }), fc.string({ unit: 'binary', maxLength: 400 }), (sub, name) => {
        const key = uploadKeyFor(sub, UPLOAD_ID, name);
        expect(ownerFromKey(key)).toBe(sub);
        expect(key.slice(`uploads/${sub}/`.length)).not.toContain('/');
      }),
    );
  });

  it('keeps a file name readable but one folder deep and bounded', () => {
    expect(safeUploadName(' a/b\\c\u0000.jpg ')).toBe('a_b_c_.jpg');
    expect(safeUploadName('..')).toBe('_');
    expect(safeUploadName('')).toBe('_');
    expect(Array.from(safeUploadName('😀'.repeat(500)))).toHaveLength(MAX_UPLOAD_NAME_LENGTH);
  });

  it('tells Cognito subs from other strings', () => {
    expect([isCognitoSub(SUB), isCognitoSub(SUB.toUpperCase()), isCognitoSub('unowned'), isCognitoSub(42)]).toEqual([
      true,
      false,
      false,
      false,
    ]);
  });

  it('derives the owner from the key for a state that predates owners, and keeps a given one', () => {
    // Prepare
    const state = {
      action: 'recordFailure',
      imageId: '4c305750c43906432cd42f52210099f7',
      revision: '4ad423f178deff50',
      receivedAt: '2026-11-25T12:00:00.000Z',
      source: { bucket: 'b', key: `uploads/${SUB}/${UPLOAD_ID}-cat.jpg`, versionId: null, sourceOrder: '000000000000000065A1B2C3D4E5F601' },
      error: { Error: 'CorruptImageError', Cause: 'x' },
    };

    // Act
    const derived = recordFailureInputSchema.parse(state);
    const given = recordFailureInputSchema.parse({ ...state, owner: UNOWNED });
    const bad = recordFailureInputSchema.safeParse({ ...state, owner: 'someone' });

    // Assess
    expect(derived.owner).toBe(SUB);
    expect(given.owner).toBe(UNOWNED);
    expect(bad.success).toBe(false);
  });
});
