/** A price that falls as the monthly volume grows: `upTo` is the last unit of each tier (Infinity for the last). */
export interface Tier {
  upTo: number;
  usd: number;
}

/**
 * AWS list prices, us-east-1, checked on the date below (free tiers are ignored: the model prices steady state).
 * Rekognition bills every API per image, and DetectLabels' IMAGE_PROPERTIES feature as its own line
 * ("Image Properties") on top of DetectLabels.
 *
 * Rekognition re-checked 2026-12-05 with the search tool: the pricing page (its Vietnamese edition,
 * https://aws.amazon.com/vi/rekognition/pricing/, is the stored copy) says each API run on an image counts as one
 * image processed, billed in monthly volume tiers, with Group 2 = DetectFaces, DetectModerationLabels, DetectLabels,
 * DetectText (+ RecognizeCelebrities, DetectProtectiveEquipment); a transcription of the English page
 * (https://raw.githubusercontent.com/api-evangelist/amazon-rekognition/refs/heads/main/plans/amazon-rekognition-plans-pricing.yml)
 * gives $0.0010 per image for the first 1 M Group 2 images, $0.0008 next, and Image Properties at $0.00075 for the
 * first 1 M (no free tier), $0.0006 next. The tier boundaries below (1 M / 5 M / 35 M) are the earlier check's;
 * the stored pages did not show them in full.
 *
 * Re-checked 2026-12-06 (aws-facts) with the search tool:
 * - Rekognition: the same transcription (docs corpus copy, read 2026-10-07) also quotes "Next 30 million" images at
 *   $0.0006, i.e. the 5 M-35 M tier; the top tiers over 35 M ($0.00025 Group 2, $0.0001875 Image Properties) and
 *   Image Properties' 5 M-35 M $0.00045 are still unconfirmed (they do not matter below 5 M images a month). One tier
 *   ladder per group, shared by its APIs: AWS bills one usage type per group (`Group1-ImagesProcessed`,
 *   `Group2-ImagesProcessed`, `FaceVectorsStored`: AWS Billing's free-tier usage-type list, a stored copy).
 * - Lambda arm64, us-east-1: $0.0000133334 per GB-second for the first 7.5 B GB-s, $0.0000120001 for the next
 *   11.25 B (https://cloudchipr.com/blog/aws-lambda-pricing); $0.20 per 1 M requests (same page; also
 *   https://notes.kodekloud.com/docs/AWS-Lambda/Understanding-Lambda/Pricing). The third tier ($0.0000106667 over
 *   18.75 B) was not in the stored text.
 * - Step Functions Standard: $0.0250 per 1,000 state transitions in US East (N. Virginia), retries included
 *   (https://aws.amazon.com/step-functions/pricing/, stored copy with the regional table).
 * - DynamoDB on-demand, us-east-1, after the November 2024 cut: $0.625 per 1 M write request units, $0.125 per 1 M
 *   read request units (https://airbyte.com/data-engineering-resources/dynamodb-pricing).
 * - S3 Standard: $0.005 per 1,000 PUT/COPY/POST/LIST, $0.0004 per 1,000 GET/HEAD/SELECT
 *   (https://c3x.dev/blog/s3-request-fees-explained).
 */
export const PRICES = {
  checkedOn: '2026-11-25 (notification lines 2026-12-05; re-checked 2026-12-06)',
  region: 'us-east-1',
  sources: {
    lambda: 'https://aws.amazon.com/lambda/pricing/',
    stepFunctions: 'https://aws.amazon.com/step-functions/pricing/',
    rekognition: 'https://aws.amazon.com/rekognition/pricing/',
    s3: 'https://aws.amazon.com/s3/pricing/',
    dynamodb: 'https://aws.amazon.com/dynamodb/pricing/on-demand/',
    eventBridge: 'https://aws.amazon.com/eventbridge/pricing/',
    sqs: 'https://aws.amazon.com/sqs/pricing/',
    ses: 'https://aws.amazon.com/ses/pricing/',
    sms: 'https://aws.amazon.com/end-user-messaging/pricing/',
  },
  lambda: {
    /** arm64 price per GB-second, by monthly GB-seconds. */
    arm64GbSecond: [
      { upTo: 7.5e9, usd: 0.0000133334 },
      { upTo: 18.75e9, usd: 0.0000120001 },
      { upTo: Infinity, usd: 0.0000106667 },
    ] as Tier[],
    perRequest: 0.2 / 1e6,
  },
  stepFunctions: { standardPerTransition: 0.025 / 1000 },
  rekognition: {
    /** Group 2 APIs (DetectLabels, DetectModerationLabels, DetectFaces, DetectText): images per API per month. */
    group2PerImage: [
      { upTo: 1e6, usd: 0.001 },
      { upTo: 5e6, usd: 0.0008 },
      { upTo: 35e6, usd: 0.0006 },
      { upTo: Infinity, usd: 0.00025 },
    ] as Tier[],
    /** DetectLabels with the IMAGE_PROPERTIES feature (dominant colours, quality). */
    imagePropertiesPerImage: [
      { upTo: 1e6, usd: 0.00075 },
      { upTo: 5e6, usd: 0.0006 },
      { upTo: 35e6, usd: 0.00045 },
      { upTo: Infinity, usd: 0.0001875 },
    ] as Tier[],
  },
  s3: { putPerRequest: 0.005 / 1000, getPerRequest: 0.0004 / 1000 },
  dynamodb: { onDemandPerWru: 0.625 / 1e6, onDemandPerRru: 0.125 / 1e6 },
  /**
   * Custom events on a custom bus, per event of up to 64 KB (ours are ~1 KB). Checked 2026-12-05 with the search
   * tool: https://aws.amazon.com/eventbridge/pricing/ (64 KB chunks) and
   * https://blog.awsfundamentals.com/aws-eventbridge-pricing-guide ("Custom ... events cost $1.00 per 1 million events").
   */
  eventBridge: { customEventPerEvent: 1.0 / 1e6 },
  /**
   * Standard queue, per request (SendMessage, ReceiveMessage, DeleteMessage; 64 KB chunks), after the 1 M free.
   * Checked 2026-12-05: https://cloudburn.io/blog/amazon-sqs-pricing (us-east-1, March 2026: $0.40/M for the first
   * 100 B) and https://www.factualminds.com/blog/amazon-sqs-pricing-64kb-rule-fifo-vs-standard/ (June 2026).
   */
  sqs: { standardPerRequest: 0.4 / 1e6 },
  /**
   * SES outbound e-mail on the Essentials plan, which every new SES account gets since 2026-07-21 ($0.00016 per
   * e-mail up to 10 M a month; accounts that sent before 2025-06-01 keep a la carte at $0.0001). Checked 2026-12-05:
   * https://raw.githubusercontent.com/api-evangelist/amazon-ses/refs/heads/main/plans/amazon-ses-plans-pricing.yml
   * (read from the AWS Price List API, AmazonSES us-east-1, 2026-07-22).
   */
  ses: { perEmail: 0.00016 },
  /**
   * One SMS part to a US number (the notifier keeps every SMS to one GSM-7 part) from a US toll-free number:
   * AWS's message fee plus the carrier's pass-through fee. The carrier fee is the highest of the 2026 US carrier fees
   * for toll-free SMS ($0.0045 Verizon/T-Mobile, $0.0035 AT&T: https://help.textvolt.com/articles/7310656083-carrier-fee-snapshot-by-carrier-2026;
   * the formula message fee + carrier fee per part is AWS's: https://www.repost.aws/knowledge-center/sns-pinpoint-high-sms-charges).
   * The AWS message fee ($0.00581 per part for US toll-free) is NOT confirmed by a stored page: the search tool found
   * no copy of https://aws.amazon.com/end-user-messaging/pricing/ with the US row; check it before relying on SMS lines.
   */
  sms: { country: 'US', perMessage: 0.00581 + 0.0045 },
} as const;

/** Cost of `units` in one month under tiered prices (each unit at the price of the tier it falls in). */
export function tieredCost(units: number, tiers: readonly Tier[]): number {
  let cost = 0;
  let floor = 0;
  for (const tier of tiers) {
    if (units <= floor) break;
    const inTier = Math.min(units, tier.upTo) - floor;
    cost += inTier * tier.usd;
    floor = tier.upTo;
  }
  return cost;
}
