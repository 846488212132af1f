import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { startLocalStack, type LocalStack } from '../../../local/stack';
import { recordFigures } from '../support/figures';
import { fixture, hostileCorpus, oddKeys, type CorpusFile } from '../support/hostile-corpus';
import { imageIdOf, PipelineClient, type ExecutionView, type TableItem } from '../support/pipeline-client';

/** The whole pipeline over the wire, fed every hostile file and odd key at once, next to one ordinary photo. */

const RUN_TIMEOUT_MS = 15 * 60_000;
const CONTROL_KEY = 'uploads/control/flowers.jpeg';

interface Upload {
  key: string;
  body: Buffer;
  file?: CorpusFile;
}

let dataDir: string;
let stack: LocalStack;
let client: PipelineClient;
let listener: Server;
const listenerHits: string[] = [];
const uploads: Upload[] = [];
let executions: ExecutionView[];

const executionsOf = (key: string): ExecutionView[] => executions.filter((e) => e.input.source?.key === key);
const imageItemOf = async (key: string): Promise<TableItem | undefined> =>
  (await client.itemsOf(imageIdOf(client.uploadsBucket, key))).find((item) => item.SK === 'IMAGE');

beforeAll(async () => {
  listener = createServer((req, res) => {
    listenerHits.push(`${req.method} ${req.url}`);
    res.writeHead(200).end();
  });
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(listener.address() as AddressInfo).port}`;

  dataDir = await mkdtemp(join(tmpdir(), 'sip-hostile-'));
  stack = await startLocalStack({ dataDir, edgePort: 0 });
  client = new PipelineClient(stack);

  const small = await sharp(fixture('ai-face.jpg')).resize(200).jpeg().toBuffer();
  for (const file of hostileCorpus(origin)) uploads.push({ key: `uploads/hostile/${file.name}`, body: await file.build(), file });
  for (const key of oddKeys('uploads/')) uploads.push({ key, body: small });
  uploads.push({ key: CONTROL_KEY, body: fixture('flowers.jpeg') });

  // Act (shared by every test below): all uploads at once, then wait until nothing is pending.
  await Promise.all(
    uploads.map((upload) => client.upload(upload.key, upload.body, upload.key.endsWith('.png') ? 'image/png' : 'image/jpeg')),
  );
  await stack.waitForIdle();
  executions = await client.executions();
}, RUN_TIMEOUT_MS);

afterAll(async () => {
  client?.destroy();
  await stack?.stop();
  await new Promise((resolve) => listener.close(resolve));
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('local pipeline with hostile and odd uploads', () => {
  test('starts exactly one execution per upload and ends each in SUCCEEDED or FAILED', () => {
    // Assess
    const perUpload = uploads.map(
      (upload) =>
        `${upload.key}: ${executionsOf(upload.key)
          .map((e) => e.status)
          .join(',')}`,
    );
    expect(perUpload).toEqual(uploads.map((upload) => expect.stringMatching(new RegExp(`^${escape(upload.key)}: (SUCCEEDED|FAILED)$`))));
    expect(executions.length).toBe(uploads.length);
  });

  test('ends every hostile file as its expectation says, with the named error in the execution and the table item', async () => {
    // Act
    const results = await Promise.all(
      uploads
        .filter((upload) => upload.file)
        .map(async (upload) => {
          const [execution] = executionsOf(upload.key);
          const item = await imageItemOf(upload.key);
          return { name: upload.file!.name, expect: upload.file!.expect, status: execution?.status, error: execution?.error, item };
        }),
    );

    // Assess
    for (const result of results) {
      if (result.expect.outcome === 'succeeds') {
        expect({ name: result.name, status: result.status, item: result.item?.status }).toEqual({
          name: result.name,
          status: 'SUCCEEDED',
          item: 'SUCCEEDED',
        });
      } else {
        expect({ name: result.name, status: result.status, item: result.item?.status }).toEqual({
          name: result.name,
          status: 'FAILED',
          item: 'FAILED',
        });
        expect(result.expect.errors).toContain(result.error);
        expect(result.item?.error?.name).toBe(result.error);
        expect(String(result.item?.error?.cause ?? '')).not.toBe('');
      }
    }
  });

  test('keeps every original upload byte for byte', async () => {
    // Act
    const stored = await Promise.all(uploads.map(async (upload) => (await client.read(upload.key)).body.equals(upload.body)));

    // Assess
    expect(stored.every(Boolean)).toBe(true);
  });

  test('processes the ordinary photo next to the hostile files', async () => {
    // Act
    const item = await imageItemOf(CONTROL_KEY);

    // Assess
    expect(item).toMatchObject({ status: 'SUCCEEDED', image: { format: 'jpeg', width: 1920, height: 1080 } });
    expect(item?.variants.length).toBeGreaterThanOrEqual(6);
  });

  test('keeps each odd key exactly as uploaded in the execution input and the table item', async () => {
    // Act
    const stored = await Promise.all(
      oddKeys('uploads/').map(async (key) => ({ key, status: executionsOf(key)[0]?.status, item: await imageItemOf(key) })),
    );

    // Assess
    for (const { key, status, item } of stored) {
      expect({ key, status, itemKey: item?.source?.key, itemStatus: item?.status }).toEqual({
        key,
        status: 'SUCCEEDED',
        itemKey: key,
        itemStatus: 'SUCCEEDED',
      });
    }
    expect(Buffer.byteLength(oddKeys('uploads/').at(-1)!)).toBe(1024);
    expect(await client.exists('etc/passwd.jpg')).toBe(false);
    expect(await client.exists('uploads/etc/passwd.jpg')).toBe(false);
  });

  test('serves every variant as an image without EXIF, GPS or a second frame, upright for rotated input', async () => {
    // Prepare
    const succeeded = uploads.filter((upload) => upload.file?.expect.outcome === 'succeeds');

    // Act
    const checked = await Promise.all(
      succeeded.map(async (upload) => {
        const item = (await imageItemOf(upload.key))!;
        const variants = await Promise.all(
          (item.variants as Array<{ key: string }>).map(async (variant) => {
            const { body, contentType } = await client.read(variant.key, stack.resources.processedBucket);
            const meta = await sharp(body).metadata();
            return {
              contentType,
              format: meta.format,
              exif: meta.exif,
              pages: meta.pages ?? 1,
              landscape: meta.width! >= meta.height!,
              script: body.includes('<script'),
            };
          }),
        );
        return { name: upload.file!.name, item, variants };
      }),
    );

    // Assess
    for (const { name, item, variants } of checked) {
      expect(variants.length).toBeGreaterThanOrEqual(2);
      for (const variant of variants) {
        expect({ name, ...variant }).toEqual({
          name,
          contentType: variant.format === 'webp' ? 'image/webp' : 'image/jpeg',
          format: expect.stringMatching(/^(webp|jpeg)$/),
          exif: undefined,
          pages: 1,
          landscape: item.image.width >= item.image.height,
          script: false,
        });
      }
    }
    const rotated = checked.find((entry) => entry.name === 'rotated-6.jpg')!;
    expect(rotated.variants.every((variant) => !variant.landscape)).toBe(true);
    expect(checked.find((entry) => entry.name === 'gps.jpg')!.item.exif.hasGps).toBe(true);
  });

  test('keeps the JPEG with an HTML tail typed as an image, in its item and as stored', async () => {
    // Act
    const item = await imageItemOf('uploads/hostile/html-tail.jpg');
    const original = await client.read('uploads/hostile/html-tail.jpg');

    // Assess
    expect(item?.image.format).toBe('jpeg');
    expect(original.contentType).toBe('image/jpeg');
  });

  test('never contacts the network address an SVG references', () => {
    // Assess
    expect(listenerHits).toEqual([]);
  });

  test('finishes every execution well inside the state machine timeout', async () => {
    // Assess
    const longest = Math.max(...executions.map((e) => (e.stopDate ?? Infinity) - e.startDate));
    const bombRun = await client.runInterval(executionsOf('uploads/hostile/bomb-30000x30000.png')[0].executionArn);
    recordFigures('hostile-input-pipeline', {
      filesTried: uploads.length,
      hostileFiles: uploads.filter((upload) => upload.file).length,
      oddKeys: oddKeys('uploads/').length,
      succeeded: executions.filter((e) => e.status === 'SUCCEEDED').length,
      failedWithNamedReason: executions.filter((e) => e.status === 'FAILED' && e.error).length,
      errors: Object.fromEntries(
        [...new Set(executions.map((e) => e.error).filter(Boolean))].map((name) => [
          name,
          executions.filter((e) => e.error === name).length,
        ]),
      ),
      bombRunSeconds: (bombRun.to - bombRun.from) / 1000, // from ExecutionStarted to ExecutionFailed, queueing excluded
      longestRunSeconds: longest / 1000,
      svgListenerHits: listenerHits.length,
    });
    expect(longest).toBeLessThan(1800 * 1000);
    expect(executions.filter((e) => e.status === 'TIMED_OUT' || e.status === 'ABORTED')).toEqual([]);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
