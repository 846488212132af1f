import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyLifecycle } from '../../lifecycle';
import { S3Store } from '../../store';

const DAY_MS = 86_400_000;
const later = (days: number) => new Date(Date.now() + days * DAY_MS);

describe('applyLifecycle', () => {
  let root: string;
  let store: S3Store;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'sip-lifecycle-'));
    store = await S3Store.open(root);
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  const put = (bucket: string, key: string, tags?: Record<string, string>) =>
    store.putObject(bucket, key, Buffer.from(key), { etag: 'e', tags });
  const keys = (bucket: string) => store.listCurrent(bucket).map((entry) => entry.key);

  it('expires only current objects that match the prefix and every tag filter, once they are old enough', async () => {
    // Prepare
    await store.createBucket('processed');
    await put('processed', 'images/a/r/rekognition/detect-faces.json', { retention: 'raw-analysis' });
    await put('processed', 'images/a/r/w256.webp');
    await put('processed', 'other/detect-faces.json', { retention: 'raw-analysis' });
    const rules = [
      { Status: 'Enabled', Prefix: 'images/', TagFilters: [{ Key: 'retention', Value: 'raw-analysis' }], ExpirationInDays: 90 },
    ];

    // Act
    const early = await applyLifecycle(store, 'processed', rules, later(89));
    const due = await applyLifecycle(store, 'processed', rules, later(91));

    // Assess
    expect(early).toEqual({ expired: 0, noncurrentExpired: 0 });
    expect(due).toEqual({ expired: 1, noncurrentExpired: 0 });
    expect(keys('processed')).toEqual(['images/a/r/w256.webp', 'other/detect-faces.json']);
  });

  it('removes versions noncurrent for longer than NoncurrentDays and keeps the current one', async () => {
    // Prepare
    await store.createBucket('uploads', 'Enabled');
    await put('uploads', 'uploads/a.jpg');
    await put('uploads', 'uploads/a.jpg');
    const rules = [
      { Status: 'Enabled', NoncurrentVersionExpiration: { NoncurrentDays: 30 } },
      { Status: 'Disabled', ExpirationInDays: 1 },
    ];

    // Act
    const outcome = await applyLifecycle(store, 'uploads', rules, later(31));

    // Assess
    expect(outcome).toEqual({ expired: 0, noncurrentExpired: 1 });
    expect(store.listAllVersions('uploads')[0].versions).toHaveLength(1);
    expect(keys('uploads')).toEqual(['uploads/a.jpg']);
  });
});
