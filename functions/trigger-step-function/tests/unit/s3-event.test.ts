import fc from 'fast-check';
import { InvalidS3EventError } from '../../src/errors';
import { parseS3Event } from '../../src/s3-event';
import { loadTriggerEvent } from './support/events';

describe('parseS3Event', () => {
  it('reads the fields of a plain ObjectCreated record, key still encoded', () => {
    // Act
    const parsed = parseS3Event(loadTriggerEvent('s3-put'));

    // Assess
    expect(parsed).toEqual({
      ok: true,
      ignored: 0,
      records: [
        {
          eventName: 'ObjectCreated:Put',
          eventTime: '2026-11-25T12:00:00.000Z',
          bucket: 'smart-image-pipeline-uploads-123456789012',
          encodedKey: 'uploads/holiday/beach.jpg',
          size: 137611,
          eTag: 'a5f2b0a1a8c3e1d4f7b6c9d0e2f4a6b8',
          versionId: 'Q7f2lhBq0h8.Hn6Xo3vW1yJ9tq5m2RcZ',
          sequencer: '0065A1B2C3D4E5F601',
        },
      ],
    });
  });

  it('keeps every record of a multi-record event in order', () => {
    // Act
    const parsed = parseS3Event(loadTriggerEvent('s3-multiple-records'));

    // Assess
    expect(parsed.ok && parsed.records.map((r) => r.encodedKey)).toEqual([
      'uploads/batch/flowers.jpeg',
      'uploads/batch/group-1.jpg',
      'archive/old.jpg',
    ]);
  });

  it('treats the versionId "null" of a suspended-versioning bucket as no version', () => {
    // Prepare
    const event = loadTriggerEvent<{ Records: { s3: { object: Record<string, unknown> } }[] }>('s3-put');
    event.Records[0]!.s3.object.versionId = 'null';

    // Act
    const parsed = parseS3Event(event);

    // Assess
    expect(parsed.ok && parsed.records[0]?.versionId).toBeNull();
  });

  it('counts records that are not ObjectCreated as ignored', () => {
    // Prepare
    const event = loadTriggerEvent<{ Records: Record<string, unknown>[] }>('s3-put');
    event.Records[0]!.eventName = 'ObjectRemoved:Delete';

    // Act
    const parsed = parseS3Event(event);

    // Assess
    expect(parsed).toEqual({ ok: true, records: [], ignored: 1 });
  });

  it('accepts the s3:TestEvent that S3 sends when notifications are configured, with nothing to do', () => {
    // Act
    const parsed = parseS3Event({ Service: 'Amazon S3', Event: 's3:TestEvent', Bucket: 'b' });

    // Assess
    expect(parsed).toEqual({ ok: true, records: [], ignored: 0 });
  });

  it.each([
    ['null', null, /no "Records" array/],
    ['a string', 'uploads/a.jpg', /no "Records" array/],
    ['an SQS event', { Records: [{ eventSource: 'aws:sqs', body: '{}' }] }, /eventSource is "aws:sqs"/],
    ['an EventBridge S3 event', { 'detail-type': 'Object Created', source: 'aws.s3', detail: {} }, /no "Records" array/],
    ['an empty Records array', { Records: [] }, /"Records" is empty/],
    [
      'a record without a key',
      { Records: [{ eventSource: 'aws:s3', eventName: 'ObjectCreated:Put', s3: { bucket: { name: 'b' }, object: {} } }] },
      /s3\.object\.key is missing/,
    ],
  ])('rejects %s with a clear InvalidS3EventError', (_label, event, message) => {
    // Act
    const parsed = parseS3Event(event);

    // Assess
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.error).toBeInstanceOf(InvalidS3EventError);
      expect(parsed.error.message).toMatch(message);
    }
  });

  it('rejects an ObjectCreated record whose sequencer is not hex', () => {
    // Prepare
    const event = loadTriggerEvent<{ Records: { s3: { object: Record<string, unknown> } }[] }>('s3-put');
    event.Records[0]!.s3.object.sequencer = 'not-hex';

    // Act
    const parsed = parseS3Event(event);

    // Assess
    expect(parsed.ok === false && parsed.error.message).toMatch(/sequencer/);
  });

  it('never throws on arbitrary JSON and only accepts payloads with S3 records', () => {
    // Prepare: plain JSON, and JSON wrapped in a Records array so the record reader is exercised too.
    const payload = fc.oneof(
      fc.jsonValue(),
      fc.array(fc.jsonValue(), { maxLength: 3 }).map((Records) => ({ Records })),
      fc
        .dictionary(fc.constantFrom('eventSource', 'eventName', 's3', 'eventTime'), fc.jsonValue())
        .map((r) => ({ Records: [{ ...r, eventSource: 'aws:s3' }] })),
    );

    // Act + Assess
    fc.assert(
      fc.property(payload, (event) => {
        const parsed = parseS3Event(event);
        return parsed.ok
          ? parsed.records.every((r) => r.bucket !== '' && r.encodedKey !== '')
          : parsed.error instanceof InvalidS3EventError;
      }),
      { numRuns: 1000 },
    );
  });
});
