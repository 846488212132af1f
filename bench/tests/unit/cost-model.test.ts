import { computeCost, kindShares, writeUnits, type CostInputs } from '../../cost/model';
import { PRICES, tieredCost } from '../../cost/prices';

const usage = (calls: CostInputs['analysis']['plain']['calls']) => ({
  calls,
  imageProperties: true,
  rawJsonPuts: calls.length,
  bandQueries: 4,
  itemReads: 0,
});

function inputs(overrides: Partial<CostInputs> = {}): CostInputs {
  return {
    images: 1000,
    facesShare: 0,
    textShare: 0,
    analysisCopyShare: 0,
    notifiedShare: 1,
    emailShare: 0,
    smsShare: 0,
    duplicateShare: 0,
    notifier: { durationMs: 100, memoryMb: 256, source: 'test' },
    lambdas: [{ logicalId: 'ResizeImageFunction', durationMs: 1000, memoryMb: 1024, source: 'test' }],
    transitions: 9,
    analysis: {
      plain: usage(['DetectLabels', 'DetectModerationLabels']),
      person: usage(['DetectLabels', 'DetectModerationLabels', 'DetectFaces']),
      text: usage(['DetectLabels', 'DetectModerationLabels', 'DetectText']),
      personAndText: usage(['DetectLabels', 'DetectModerationLabels', 'DetectFaces', 'DetectText']),
      reused: { calls: [], imageProperties: false, rawJsonPuts: 0, bandQueries: 4, itemReads: 1 },
    },
    store: { writes: [{ bytes: 1500, indexed: true }], consistentReads: 1, queries: 1 },
    resize: { gets: 1, variantPuts: 6 },
    ...overrides,
  };
}

const line = (report: ReturnType<typeof computeCost>, item: string) => report.lines.find((l) => l.item.startsWith(item))!;

describe('tieredCost', () => {
  it('charges each unit at the price of the tier it falls in', () => {
    // Prepare
    const tiers = [
      { upTo: 10, usd: 1 },
      { upTo: Infinity, usd: 0.5 },
    ];

    // Act
    const cost = tieredCost(14, tiers);

    // Assess
    expect(cost).toBeCloseTo(10 * 1 + 4 * 0.5);
  });
});

describe('computeCost', () => {
  it('prices Lambda as billed GB-seconds times the arm64 price', () => {
    // Act
    const report = computeCost(inputs());

    // Assess: 1 s x 1 GB per image, 1,000 images, so $ per 1,000 is one GB-second's price x 1,000.
    expect(line(report, 'compute').unitsPerImage).toBeCloseTo(1);
    expect(line(report, 'compute').usdPerThousand).toBeCloseTo(PRICES.lambda.arm64GbSecond[0].usd * 1000);
  });

  it('counts DetectFaces and DetectText only for their share of images', () => {
    // Act
    const report = computeCost(inputs({ facesShare: 0.3, textShare: 0.1 }));

    // Assess
    expect(line(report, 'DetectFaces').unitsPerImage).toBeCloseTo(0.3);
    expect(line(report, 'DetectText').unitsPerImage).toBeCloseTo(0.1);
    expect(line(report, 'DetectLabels').unitsPerImage).toBeCloseTo(1);
    expect(line(report, 'DetectLabels').usdPerThousand).toBeCloseTo(1000 * PRICES.rekognition.group2PerImage[0].usd);
  });

  it('bills all four Detect calls on every image in the naive design', () => {
    // Act
    const naive = computeCost(inputs({ naive: true }));
    const ours = computeCost(inputs());

    // Assess
    expect(line(naive, 'DetectFaces').unitsPerImage).toBeCloseTo(1);
    expect(line(naive, 'DetectText').unitsPerImage).toBeCloseTo(1);
    expect(naive.usdPerThousand - ours.usdPerThousand).toBeCloseTo(
      2 * PRICES.rekognition.group2PerImage[0].usd * 1000 + 2 * PRICES.s3.putPerRequest * 1000 + 2 * PRICES.s3.getPerRequest * 1000,
    );
  });

  it('bills no Rekognition call for the near-duplicate share, only its lookups', () => {
    // Act
    const ours = computeCost(inputs({ duplicateShare: 0.25 }));
    const none = computeCost(inputs());

    // Assess
    expect(line(ours, 'DetectLabels').unitsPerImage).toBeCloseTo(0.75);
    expect(line(none, 'DetectLabels').unitsPerImage).toBeCloseTo(1);
    expect(line(ours, 'near-duplicate lookups').unitsPerImage).toBeCloseTo(4 * 0.5 + 0.25 * 0.5);
    expect(line(ours, 'Image Properties').unitsPerImage).toBeCloseTo(0.75);
  });

  it('counts near-duplicates as fresh uploads when the core does not reuse (switch off)', () => {
    // Prepare
    const base = inputs({ duplicateShare: 0.25 });

    // Act
    const report = computeCost({ ...base, analysis: { ...base.analysis, reused: usage(['DetectLabels', 'DetectModerationLabels']) } });

    // Assess
    expect(line(report, 'DetectLabels').unitsPerImage).toBeCloseTo(1);
  });

  it('prices the transitions of a run, whoever is told by e-mail', () => {
    // Act
    const withoutEmail = computeCost(inputs({ emailShare: 0 }));
    const withEmail = computeCost(inputs({ emailShare: 1 }));

    // Assess
    expect(line(withoutEmail, 'state transitions').unitsPerImage).toBe(9);
    expect(line(withEmail, 'state transitions').usdPerThousand).toBeCloseTo(9 * 1000 * PRICES.stepFunctions.standardPerTransition);
  });

  it('prices the notification path per notified image, and e-mails and SMS per message sent', () => {
    // Act
    const quiet = computeCost(inputs({ notifiedShare: 0 }));
    const told = computeCost(inputs({ notifiedShare: 1, emailShare: 0.5, smsShare: 0.1 }));

    // Assess
    expect(line(quiet, 'notification queue').usdPerThousand).toBe(0);
    expect(line(quiet, 'notifier (GB').usdPerThousand).toBe(0);
    expect(line(told, 'custom events').usdPerThousand).toBeCloseTo(1000 * PRICES.eventBridge.customEventPerEvent);
    expect(line(told, 'notification queue').usdPerThousand).toBeCloseTo(3 * 1000 * PRICES.sqs.standardPerRequest);
    expect(line(told, 'e-mail').usdPerThousand).toBeCloseTo(0.5 * 1000 * PRICES.ses.perEmail);
    expect(line(told, 'text message').usdPerThousand).toBeCloseTo(0.1 * 1000 * PRICES.sms.perMessage);
    expect(told.lines.some((l) => l.service === 'SNS')).toBe(false);
  });

  it('adds up the lines into the total', () => {
    // Act
    const report = computeCost(inputs({ facesShare: 0.2, emailShare: 1 }));

    // Assess
    expect(report.usdPerThousand).toBeCloseTo(report.lines.reduce((sum, l) => sum + l.usdPerThousand, 0));
  });
});

describe('writeUnits and kindShares', () => {
  it('charges a started kilobyte as a whole unit, twice when the item is in the index', () => {
    expect(writeUnits(1024, false)).toBe(1);
    expect(writeUnits(1025, false)).toBe(2);
    expect(writeUnits(1500, true)).toBe(4);
  });

  it('splits images into kinds whose shares add up to one', () => {
    // Act
    const shares = kindShares(0.3, 0.1);

    // Assess
    expect(shares.personAndText).toBeCloseTo(0.03);
    expect(Object.values(shares).reduce((a, b) => a + b, 0)).toBeCloseTo(1);
  });
});
