import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { imageIdFor, revisionFor } from '@smart-image-pipeline/contracts';
import { InvalidCleanUpEventError } from '../../src/errors';
import { parseCleanUpEvent } from '../../src/parse-event';

const EVENTS = join(__dirname, '..', '..', '..', '..', 'events', 'clean-up-image');
const load = (name: string) => JSON.parse(readFileSync(join(EVENTS, `${name}.json`), 'utf8'));
const UPLOADS = { uploadsBucketName: 'smart-image-pipeline-uploads-123456789012', uploadsPrefix: 'uploads/' };

describe('parseCleanUpEvent', () => {
  it('reads a delete marker as the removal of the upload, ordered by its sequencer, naming no deleted revision', () => {
    // Act
    const [request] = parseCleanUpEvent(load('s3-delete-marker'), UPLOADS);

    // Assess
    expect(request).toEqual({
      kind: 'removed',
      bucket: UPLOADS.uploadsBucketName,
      key: 'uploads/holiday/beach.jpg',
      imageId: imageIdFor(UPLOADS.uploadsBucketName, 'uploads/holiday/beach.jpg'),
      deleteOrder: '0000000000000065A1C9F2B1E0A311'.padStart(32, '0'),
      deletedRevision: null,
    });
  });

  it('names the revision whose bytes a permanent delete of one version removed', () => {
    // Act
    const [request] = parseCleanUpEvent(load('s3-version-deleted'), UPLOADS);

    // Assess
    expect(request).toMatchObject({
      kind: 'removed',
      deletedRevision: revisionFor(UPLOADS.uploadsBucketName, 'uploads/holiday/beach.jpg', 'Q7f2lhBq0h8.Hn6Xo3vW1yJ9tq5m2RcZ'),
    });
  });

  it('reads an "Image Processed" event as a prune of older revisions', () => {
    // Act
    const requests = parseCleanUpEvent(load('image-processed'), UPLOADS);

    // Assess
    expect(requests).toEqual([{ kind: 'stored', imageId: '5f0c1d2e3f405162738495a6b7c8d9e0' }]);
  });

  it('ignores deletions in other buckets, outside the prefix, of folder markers and with broken key encoding', () => {
    // Prepare
    const event = load('s3-delete-marker');
    const record = event.Records[0];
    const variant = (change: (r: any) => void) => {
      const copy = JSON.parse(JSON.stringify(record));
      change(copy);
      return copy;
    };
    event.Records = [
      variant((r) => (r.s3.bucket.name = 'another-bucket')),
      variant((r) => (r.s3.object.key = 'exports/beach.jpg')),
      variant((r) => (r.s3.object.key = 'uploads/holiday/')),
      variant((r) => (r.s3.object.key = 'uploads/%E0%A4%A.jpg')),
      variant((r) => (r.eventName = 'ObjectRestore:Completed')),
    ];

    // Act
    const requests = parseCleanUpEvent(event, UPLOADS);

    // Assess
    expect(requests).toEqual([]);
  });

  it('refuses an event that is neither an S3 notification nor an image event, naming what is wrong', () => {
    // Act + Assess
    expect(() => parseCleanUpEvent({ hello: 'world' }, UPLOADS)).toThrow(InvalidCleanUpEventError);
    expect(() =>
      parseCleanUpEvent({ 'detail-type': 'Image Flagged', detail: { imageId: '5f0c1d2e3f405162738495a6b7c8d9e0' } }, UPLOADS),
    ).toThrow(/names no stored image/);
    expect(() => parseCleanUpEvent({ 'detail-type': 'Image Processed', detail: { imageId: '../x' } }, UPLOADS)).toThrow(/detail.imageId/);
  });
});
