import { peopleCostLines, type PeopleCostInputs } from './people';
import { PRICES, tieredCost } from './prices';
import type { AnalysisUsageByKind, ResizeUsage, StoreUsage } from './usage';

/** Everything the cost arithmetic needs; every field comes from the code, the template or a measurement. */
export interface CostInputs {
  images: number;
  facesShare: number;
  textShare: number;
  /** Share of uploads that need analysis.jpg (EXIF-rotated, over 4096 px, not JPEG/PNG…). */
  analysisCopyShare: number;
  /**
   * Share of images that have an owner (web-app uploads; CLI and S3-console uploads are `unowned`): their events reach
   * the notification queue and the notifier, whatever the owner chose.
   */
  notifiedShare: number;
  /** E-mails sent per image, after the rate limit (a digest is one e-mail for many images). */
  emailShare: number;
  /** SMS sent per image, after the rate limit (one GSM-7 part each). */
  smsShare: number;
  /** The notifier's billed duration per invocation (ms) and memory (MB); one invocation per message is assumed. */
  notifier: { durationMs: number; memoryMb: number; source: string };
  /** Share of uploads that are near-duplicates of an image the same owner had analysed with the same settings. */
  duplicateShare: number;
  /** Lambda duration per image (ms) and configured memory (MB), per function. */
  lambdas: Array<{ logicalId: string; durationMs: number; memoryMb: number; source: string }>;
  /** State transitions of a successful run (each state entered is one). */
  transitions: number;
  analysis: AnalysisUsageByKind;
  store: StoreUsage;
  resize: ResizeUsage;
  /** Price every image as if all four Detect calls ran (the naive design). */
  naive?: boolean;
  /** Face grouping (`groupFacesIntoPeople`); absent when it is off, as it is by default. */
  people?: PeopleCostInputs;
}

/** One row of the cost table. */
export interface CostLine {
  service: string;
  item: string;
  unitsPerImage: number;
  usdPerThousand: number;
}

export interface CostReport {
  lines: CostLine[];
  usdPerThousand: number;
}

const ALL_CALLS = ['DetectLabels', 'DetectModerationLabels', 'DetectFaces', 'DetectText'] as const;

/** Share of images of each kind, treating faces and text as independent; near-duplicates are their own kind. */
export function kindShares(facesShare: number, textShare: number, duplicateShare = 0): Record<keyof AnalysisUsageByKind, number> {
  const fresh = 1 - duplicateShare;
  return {
    plain: fresh * (1 - facesShare) * (1 - textShare),
    person: fresh * facesShare * (1 - textShare),
    text: fresh * (1 - facesShare) * textShare,
    personAndText: fresh * facesShare * textShare,
    reused: duplicateShare,
  };
}

/** DynamoDB write units for one put: 1 WRU per started KB, once for the table and once per index it lands in. */
export const writeUnits = (bytes: number, indexed: boolean): number => Math.ceil(bytes / 1024) * (indexed ? 2 : 1);

/** Computes dollars per 1,000 images for a month of `images` uploads (tiers applied to the monthly volume). */
export function computeCost(inputs: CostInputs): CostReport {
  const n = inputs.images;
  const lines: CostLine[] = [];
  const add = (service: string, item: string, unitsPerImage: number, monthlyUsd: number) =>
    lines.push({ service, item, unitsPerImage, usdPerThousand: (monthlyUsd / n) * 1000 });

  let gbSeconds = 0;
  for (const fn of inputs.lambdas) gbSeconds += (Math.ceil(fn.durationMs) / 1000) * (fn.memoryMb / 1024);
  add('Lambda', 'compute, arm64 (GB-seconds)', gbSeconds, tieredCost(gbSeconds * n, PRICES.lambda.arm64GbSecond));
  add('Lambda', 'requests', inputs.lambdas.length, inputs.lambdas.length * n * PRICES.lambda.perRequest);

  add(
    'Step Functions',
    'state transitions (Standard)',
    inputs.transitions,
    inputs.transitions * n * PRICES.stepFunctions.standardPerTransition,
  );

  // The naive design analyses every upload in full: all four calls and IMAGE_PROPERTIES, no reuse.
  // With reuse switched off the core analyses a near-duplicate like any upload: it then counts in the fresh mix.
  const reuses = !inputs.naive && inputs.analysis.reused.calls.length === 0;
  const shares = kindShares(inputs.facesShare, inputs.textShare, reuses ? inputs.duplicateShare : 0);
  const callsPerImage: Record<string, number> = {};
  let imagePropertiesPerImage = 0;
  let rawJsonPuts = 0;
  let bandQueries = 0;
  let itemReads = 0;
  for (const kind of Object.keys(shares) as Array<keyof AnalysisUsageByKind>) {
    const usage = inputs.analysis[kind];
    const calls = inputs.naive ? ALL_CALLS : usage.calls;
    for (const call of calls) callsPerImage[call] = (callsPerImage[call] ?? 0) + shares[kind];
    if (inputs.naive || usage.imageProperties) imagePropertiesPerImage += shares[kind];
    rawJsonPuts += shares[kind] * (inputs.naive ? ALL_CALLS.length : usage.rawJsonPuts);
    if (!inputs.naive) {
      bandQueries += shares[kind] * usage.bandQueries;
      itemReads += shares[kind] * usage.itemReads;
    }
  }
  // Group 2 APIs share one volume tier ladder; each call on each image is one billed image, and the tier
  // savings are shared among the calls in proportion to their volume.
  const group2PerImage = Object.values(callsPerImage).reduce((a, b) => a + b, 0);
  const group2Usd = tieredCost(group2PerImage * n, PRICES.rekognition.group2PerImage);
  for (const call of ALL_CALLS) {
    const share = callsPerImage[call] ?? 0;
    add('Rekognition', call, share, group2PerImage === 0 ? 0 : (group2Usd * share) / group2PerImage);
  }
  add(
    'Rekognition',
    'Image Properties (DetectLabels feature)',
    imagePropertiesPerImage,
    tieredCost(imagePropertiesPerImage * n, PRICES.rekognition.imagePropertiesPerImage),
  );

  const rekognitionReads = group2PerImage;
  const puts = 1 + inputs.resize.variantPuts + inputs.analysisCopyShare + rawJsonPuts;
  const gets = inputs.resize.gets + rekognitionReads;
  add('S3', 'PUT (upload, variants, analysis.jpg, raw JSON)', puts, puts * n * PRICES.s3.putPerRequest);
  add('S3', 'GET (resize read, Rekognition reads)', gets, gets * n * PRICES.s3.getPerRequest);

  const wru = inputs.store.writes.reduce((sum, w) => sum + writeUnits(w.bytes, w.indexed), 0);
  const rru = inputs.store.consistentReads + inputs.store.queries;
  add('DynamoDB', `writes (${inputs.store.writes.length} items incl. GSI1)`, wru, wru * n * PRICES.dynamodb.onDemandPerWru);
  add('DynamoDB', 'reads (consistent get + stale-item query)', rru, rru * n * PRICES.dynamodb.onDemandPerRru);
  // Eventually consistent: half a read unit per started 4 KB; a band query returns a few small items (one 4 KB).
  const imageItemBytes = Math.max(0, ...inputs.store.writes.map((w) => w.bytes));
  const lookupRru = 0.5 * bandQueries + 0.5 * Math.ceil(imageItemBytes / 4096) * itemReads;
  add('DynamoDB', 'near-duplicate lookups (GSI1 bands + image item)', lookupRru, lookupRru * n * PRICES.dynamodb.onDemandPerRru);

  addNotificationLines(inputs, add);
  // Face grouping (opt-in) is the same in both designs.
  if (inputs.people)
    lines.push(...peopleCostLines(n, inputs.people, { perWru: PRICES.dynamodb.onDemandPerWru, perRru: PRICES.dynamodb.onDemandPerRru }));

  return { lines, usdPerThousand: lines.reduce((sum, line) => sum + line.usdPerThousand, 0) };
}

/** Custom events a run publishes: Image Processed (or Image Failed); Image Flagged on top for flagged images is not counted. */
const EVENTS_PER_RUN = 1;
/** SQS requests per notified image: the rule's SendMessage, the event source mapping's ReceiveMessage and DeleteMessage. */
const QUEUE_REQUESTS_PER_MESSAGE = 3;
/** The notifier's table requests per image on the owner's one default channel: GetItem (preferences, consistent). */
const NOTIFIER_READ_UNITS = 1;
/** ... and the sent marker claim, the rate-limit window update and the marker settle (each item under 1 KB). */
const NOTIFIER_WRITE_UNITS = 3;

/**
 * The notification path: not states of the run (issue 12) but the run's event on the bus, the notification rule's queue,
 * the notifier and what it sends. Every notified image costs the queue, the Lambda and the table requests whether or not
 * a message goes out; e-mails and SMS are priced per message actually sent (`emailShare`, `smsShare`).
 */
function addNotificationLines(inputs: CostInputs, add: (service: string, item: string, unitsPerImage: number, monthlyUsd: number) => void) {
  const n = inputs.images;
  const notified = inputs.notifiedShare;
  add('EventBridge', 'custom events (PutEvents on the bus)', EVENTS_PER_RUN, EVENTS_PER_RUN * n * PRICES.eventBridge.customEventPerEvent);
  const requests = QUEUE_REQUESTS_PER_MESSAGE * notified;
  add('SQS', 'notification queue (send, receive, delete)', requests, requests * n * PRICES.sqs.standardPerRequest);
  const gbSeconds = notified * (Math.ceil(inputs.notifier.durationMs) / 1000) * (inputs.notifier.memoryMb / 1024);
  add(
    'Lambda',
    'notifier (GB-seconds + requests)',
    notified,
    tieredCost(gbSeconds * n, PRICES.lambda.arm64GbSecond) + notified * n * PRICES.lambda.perRequest,
  );
  const units = notified * (NOTIFIER_READ_UNITS * PRICES.dynamodb.onDemandPerRru + NOTIFIER_WRITE_UNITS * PRICES.dynamodb.onDemandPerWru);
  add('DynamoDB', 'notifier (preferences, rate limit, sent markers)', notified * (NOTIFIER_READ_UNITS + NOTIFIER_WRITE_UNITS), units * n);
  add('SES', 'e-mail (Essentials plan)', inputs.emailShare, inputs.emailShare * n * PRICES.ses.perEmail);
  add('SMS', `text message (${PRICES.sms.country}, toll-free)`, inputs.smsShare, inputs.smsShare * n * PRICES.sms.perMessage);
}
