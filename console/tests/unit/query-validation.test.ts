import { decodeCursor, encodeCursor } from '../../server/http/cursor';
import { HttpError } from '../../server/http/errors';
import { imageQueryFingerprint, parseImageListQuery } from '../../server/images/image-query';

function parse(query: string) {
  return parseImageListQuery(new URLSearchParams(query));
}

function statusOf(action: () => unknown): number | undefined {
  try {
    action();
    return undefined;
  } catch (error) {
    return error instanceof HttpError ? error.status : -1;
  }
}

describe('parseImageListQuery', () => {
  it('defaults to the newest succeeded images, 24 per page', () => {
    // Act
    const query = parse('');

    // Assess
    expect(query).toEqual(expect.objectContaining({ status: 'SUCCEEDED', sort: 'newest', limit: 24 }));
  });

  it('reads every filter', () => {
    // Act
    const query = parse('label=Dog&minConfidence=80.5&hasFaces=true&text=OPEN&moderated=false&status=ALL&sort=confidence&limit=10');

    // Assess
    expect(query).toEqual({ status: 'ALL', label: 'Dog', minConfidence: 80.5, hasFaces: true, text: 'OPEN', moderated: false, sort: 'confidence', limit: 10, cursor: undefined });
  });

  it.each([
    ['an unknown parameter', 'labels=dog'],
    ['a repeated parameter', 'label=dog&label=cat'],
    ['a limit of zero', 'limit=0'],
    ['a limit over 100', 'limit=101'],
    ['a fractional limit', 'limit=2.5'],
    ['a confidence over 100', 'label=dog&minConfidence=101'],
    ['a confidence that is not a number', 'label=dog&minConfidence=high'],
    ['a boolean spelled otherwise', 'hasFaces=yes'],
    ['an unknown status', 'status=DONE'],
    ['confidence sort without a label', 'sort=confidence'],
    ['a minimum confidence without a label', 'minConfidence=50'],
    ['an over-long label', `label=${'a'.repeat(101)}`],
    ['a control character', 'text=a%00b'],
  ])('refuses %s with 400', (_case, query) => {
    // Act
    const status = statusOf(() => parse(query));

    // Assess
    expect(status).toBe(400);
  });

  it('gives the same fingerprint regardless of label case, limit and cursor', () => {
    // Act
    const a = imageQueryFingerprint(parse('label=Dog&limit=5'));
    const b = imageQueryFingerprint(parse('label=dog&limit=50'));

    // Assess
    expect(a).toBe(b);
    expect(a).not.toBe(imageQueryFingerprint(parse('label=cat')));
  });
});

describe('page cursors', () => {
  it('round-trip a position for the same listing and filters', () => {
    // Prepare
    const token = encodeCursor('images', 'f1', '2026-11-25T12:00:00.000Z#abc');

    // Act
    const position = decodeCursor(token, 'images', 'f1');

    // Assess
    expect(position).toBe('2026-11-25T12:00:00.000Z#abc');
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it.each([
    ['garbage', 'not a token!'],
    ['base64 that is no JSON', Buffer.from('hello').toString('base64url')],
    ['a token of another listing', encodeCursor('executions', 'f1', 'x')],
    ['a token of other filters', encodeCursor('images', 'f2', 'x')],
  ])('refuses %s with 400', (_case, token) => {
    // Act
    const status = statusOf(() => decodeCursor(token, 'images', 'f1'));

    // Assess
    expect(status).toBe(400);
  });
});
