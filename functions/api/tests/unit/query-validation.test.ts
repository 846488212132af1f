import { decodeCursor, encodeCursor } from '../../src/http/cursor';
import { HttpError } from '../../src/http/http-error';
import { imageQueryFingerprint, parseImageListQuery } from '../../src/images/image-query';

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
    const query = parse(
      'label=Dog&minConfidence=80.5&hasFaces=true&text=OPEN&moderated=false&status=ALL&sort=confidence&limit=10&from=2026-11-01&to=2026-11-25T12:00:00Z',
    );

    // Assess
    expect(query).toEqual({
      status: 'ALL',
      label: 'Dog',
      minConfidence: 80.5,
      hasFaces: true,
      text: 'open',
      moderated: false,
      sort: 'confidence',
      limit: 10,
      cursor: undefined,
      from: '2026-11-01T00:00:00.000Z',
      to: '2026-11-25T12:00:00.000Z',
      owner: undefined,
    });
  });

  it('orders a label search by confidence unless told otherwise, and ends a bare "to" date at its last millisecond', () => {
    expect(parse('label=dog').sort).toBe('confidence');
    expect(parse('label=dog&sort=newest').sort).toBe('newest');
    expect(parse('to=2026-11-25').to).toBe('2026-11-25T23:59:59.999Z');
  });

  it("takes an owner only in the admins' listing, and the failures listing only time and paging", () => {
    const sub = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
    expect(parseImageListQuery(new URLSearchParams(`owner=${sub}`), { withOwner: true }).owner).toBe(sub);
    expect(parseImageListQuery(new URLSearchParams('owner=unowned'), { withOwner: true }).owner).toBe('unowned');
    expect(statusOf(() => parse(`owner=${sub}`))).toBe(400);
    expect(statusOf(() => parseImageListQuery(new URLSearchParams('owner=someone'), { withOwner: true }))).toBe(400);
    expect(parseImageListQuery(new URLSearchParams('limit=5'), { status: 'FAILED' }).status).toBe('FAILED');
    expect(statusOf(() => parseImageListQuery(new URLSearchParams('label=dog'), { status: 'FAILED' }))).toBe(400);
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
    ['a date that is no date', 'from=yesterday'],
    ['a time with an offset', 'from=2026-11-25T12:00:00+01:00'],
    ['a window that ends before it starts', 'from=2026-11-25&to=2026-11-24'],
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
  const binding = { kind: 'images', scope: 'owner:a', fingerprint: 'f1' };
  const isKeys = (value: unknown): value is string[] => Array.isArray(value) && value.every((entry) => typeof entry === 'string');

  it('round-trip a position for the same listing, caller and filters', () => {
    // Prepare
    const token = encodeCursor(binding, ['2026-11-25T12:00:00.000Z#abc']);

    // Act
    const position = decodeCursor(token, binding, isKeys);

    // Assess
    expect(position).toEqual(['2026-11-25T12:00:00.000Z#abc']);
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it.each([
    ['garbage', 'not a token!'],
    ['base64 that is no JSON', Buffer.from('hello').toString('base64url')],
    ['a token of another listing', encodeCursor({ ...binding, kind: 'executions' }, ['x'])],
    ["a token of another user's listing", encodeCursor({ ...binding, scope: 'owner:b' }, ['x'])],
    ['a token of other filters', encodeCursor({ ...binding, fingerprint: 'f2' }, ['x'])],
    ['a token whose position has another shape', encodeCursor(binding, 'x')],
  ])('refuses %s with 400', (_case, token) => {
    // Act
    const status = statusOf(() => decodeCursor(token, binding, isKeys));

    // Assess
    expect(status).toBe(400);
  });
});
