import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoImageIndex } from '../../functions/api/src/images/dynamo-image-index';
import { parseImageListQuery } from '../../functions/api/src/images/image-query';
import { listImages, type ListPosition } from '../../functions/api/src/images/list-images';
import { writeSeed } from '../../functions/api/tests/support/seed-images';
import { startWebAppStack, type TestUser } from '../../functions/api/tests/support/web-app-stack';
import { quantile, round } from '../lib/stats';

/** Latency of one page of one query, over repeated requests through the local HTTP API. */
export interface SearchPageResult {
  page: 'first' | 'cursor';
  samples: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  /**
   * CPU time of this process (every thread: the HTTP client, the local API, ApiFunction's sandbox, the edge and local
   * DynamoDB) per request: less sensitive than latency to other jobs on a shared machine.
   */
  cpuMsPerRequest: number;
  /** Images the page returned. */
  returned: number;
  /** Index entries DynamoDB read for the page (before its FilterExpression), from the same listing code. */
  scanned: number;
  /** Read capacity units local DynamoDB reported (ReturnConsumedCapacity TOTAL) for the page's Query and BatchGetItem calls. */
  consumedReadUnits: number;
}

export interface SearchQueryResult {
  name: string;
  query: string;
  pages: SearchPageResult[];
}

export interface SearchBenchResult {
  images: number;
  /** Images of the user the searches run as; the rest belong to a second user (owner-scoped partitions). */
  imagesOfSearcher: number;
  itemsWritten: number;
  seedSeconds: number;
  /** The machine's 1-minute load average when the timed requests began (the cores are shared). */
  loadAverageAtStart: number;
  queries: SearchQueryResult[];
}

/**
 * The searches the bench times: a label, and every filter at once (the two targets of issue 11), then two recorded
 * without a target because they are the design's known expensive shapes: a label with a narrow time window (the label
 * partition is sorted by confidence, so the window is a filter) and text (a filter over image items). Seeded times
 * span 2026-01-01 to 01-07.
 */
export const SEARCHES = [
  { name: 'label', query: 'label=dog&limit=24' },
  {
    name: 'combined',
    query: 'label=person&minConfidence=70&hasFaces=true&status=SUCCEEDED&from=2026-01-02T00:00:00Z&to=2026-01-03T12:00:00Z&limit=24',
  },
  {
    name: 'label, 6-hour window',
    query: 'label=person&minConfidence=70&hasFaces=true&from=2026-01-02T00:00:00Z&to=2026-01-02T06:00:00Z&limit=24',
  },
  { name: 'text contains', query: 'text=hours&limit=24' },
] as const;

/** Seeds `images` images (9 in 10 the searcher's), then times each search's first page and its cursor page. */
export async function runSearchBench(images: number, samples: number, log: (line: string) => void): Promise<SearchBenchResult> {
  const app = await startWebAppStack({ withVision: false });
  try {
    const searcher = await app.createUser('searcher@example.com');
    const other = await app.createUser('other@example.com');
    const documents = DynamoDBDocumentClient.from(
      new DynamoDBClient({
        endpoint: app.stack.edgeUrl,
        region: 'us-east-1',
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      }),
    );
    const tableName = app.stack.resources.tableName;
    const owners = [...Array<string>(9).fill(searcher.sub), other.sub];
    const seedStarted = performance.now();
    let itemsWritten = 0;
    const seeded = await writeSeed(documents, tableName, images, owners, (done, items) => {
      itemsWritten = items;
      if (done % 2000 === 0) log(`  search: seeded ${done} images`);
    });
    const seedSeconds = (performance.now() - seedStarted) / 1000;
    log(`  search: ${seeded.length} images (${itemsWritten} items) seeded in ${Math.round(seedSeconds)} s`);

    const index = new DynamoImageIndex(documents, tableName);
    const loadAverageAtStart = round(os.loadavg()[0], 2);
    const queries: SearchQueryResult[] = [];
    for (const search of SEARCHES) {
      const first = await timePage(searcher, search.query, samples);
      const firstCounts = await countPage(index, searcher.sub, search.query);
      if (!first.cursor || !firstCounts.next)
        throw new Error(`search ${search.name} has a single page over ${images} images; pick a broader one`);
      const cursor = await timePage(searcher, `${search.query}&cursor=${encodeURIComponent(first.cursor)}`, samples);
      const cursorCounts = await countPage(index, searcher.sub, search.query, firstCounts.next);
      const pages: SearchPageResult[] = [
        { page: 'first', ...first.latency, returned: first.returned, ...firstCounts.counts },
        { page: 'cursor', ...cursor.latency, returned: cursor.returned, ...cursorCounts.counts },
      ];
      for (const page of pages)
        log(
          `  search ${search.name} (${page.page} page): p50 ${page.p50Ms} ms, p95 ${page.p95Ms} ms, CPU ${page.cpuMsPerRequest} ms; ${page.returned} returned, ${page.scanned} index entries read, ${page.consumedReadUnits} RCU`,
        );
      queries.push({ name: search.name, query: search.query, pages });
    }
    return {
      images: seeded.length,
      imagesOfSearcher: seeded.filter((image) => image.owner === searcher.sub).length,
      itemsWritten,
      seedSeconds: round(seedSeconds, 1),
      loadAverageAtStart,
      queries,
    };
  } finally {
    await app.stop();
  }
}

/** Requests one page `samples` times (after two warm-ups) as the user, through the local HTTP API and ApiFunction. */
async function timePage(
  user: TestUser,
  pathQuery: string,
  samples: number,
): Promise<{
  latency: Pick<SearchPageResult, 'samples' | 'p50Ms' | 'p95Ms' | 'maxMs' | 'cpuMsPerRequest'>;
  returned: number;
  cursor: string | null;
}> {
  const times: number[] = [];
  let last: { status: number; body: any } | undefined;
  let cpu = process.cpuUsage();
  for (let i = -2; i < samples; i += 1) {
    if (i === 0) cpu = process.cpuUsage();
    const started = performance.now();
    last = await user.call(`/images?${pathQuery}`);
    if (i >= 0) times.push(performance.now() - started);
    if (last.status !== 200) throw new Error(`/images?${pathQuery} answered ${last.status}: ${JSON.stringify(last.body).slice(0, 300)}`);
  }
  const used = process.cpuUsage(cpu);
  const body = last?.body as { items: unknown[]; nextCursor: string | null };
  return {
    latency: {
      samples,
      p50Ms: round(quantile(times, 0.5), 1),
      p95Ms: round(quantile(times, 0.95), 1),
      maxMs: round(Math.max(...times), 1),
      cpuMsPerRequest: round((used.user + used.system) / 1000 / samples, 1),
    },
    returned: body.items.length,
    cursor: body.nextCursor,
  };
}

/** The same page listed in-process with the API's own listing code, for the entries it reads and the capacity it costs. */
async function countPage(
  index: DynamoImageIndex,
  owner: string,
  pathQuery: string,
  position?: ListPosition,
): Promise<{ counts: Pick<SearchPageResult, 'scanned' | 'consumedReadUnits'>; next?: ListPosition }> {
  const page = await listImages(parseImageListQuery(new URLSearchParams(pathQuery)), { kind: 'owner', owner }, index, position);
  return { counts: { scanned: page.scanned, consumedReadUnits: page.readUnits }, next: page.next };
}
