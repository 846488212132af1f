import type { AnalyticsSummary } from '@smart-image-pipeline/contracts';
import { generateFacts, writeFacts } from '../../../../local/analytics/generate-facts';
import { daysOf } from '../../../../local/analytics/report';
import { startWebAppStack, type TestUser, type WebAppStack } from '../support/web-app-stack';

// The stack shares 2 cores with other suites.
jest.setTimeout(180_000);

let app: WebAppStack;
let admin: TestUser;
let alice: TestUser;
const window = daysOf(7);
const emptyDay = window[3];
let rows: ReturnType<typeof generateFacts>;

beforeAll(async () => {
  app = await startWebAppStack({ withVision: false });
  admin = await app.signInDefault();
  alice = await app.createUser('alice@example.com');
  // Facts where the stack's delivery stream writes them: a third Alice's, the rest other owners'; one day without any.
  rows = generateFacts(
    900,
    window.filter((day) => day !== emptyDay),
    11,
  ).map((row, index) => ({ ...row, fact: { ...row.fact, owner: index % 3 === 0 ? alice.sub : row.fact.owner } }));
  writeFacts(app.stack.dataDir, rows, `${app.stack.app.pseudo.stackName}-AnalyticsDeliveryStream`);
});

afterAll(async () => {
  await app?.stop();
});

const processedOf = (owner?: string) =>
  rows.filter(({ fact }) => fact.factType === 'processed' && (owner === undefined || fact.owner === owner));

describe('GET /analytics through the local HTTP API, the API function and the local Athena', () => {
  it("gives an admin every owner's numbers, a day without facts as zeros", async () => {
    // Act
    const answer = await admin.call('/analytics?days=7');

    // Assess
    expect(answer.status).toBe(200);
    const summary = answer.body as AnalyticsSummary;
    expect(summary.owner).toBe('all');
    expect(summary.days).toEqual(window);
    expect(summary.imagesPerDay.reduce((sum, day) => sum + day.processed, 0)).toBe(processedOf().length);
    expect(summary.imagesPerDay.find((day) => day.day === emptyDay)).toEqual({ day: emptyDay, processed: 0, failed: 0, flagged: 0 });
    expect(summary.rekognitionCalls.reduce((sum, day) => sum + day.calls, 0)).toBe(
      processedOf().reduce((sum, { fact }) => sum + (fact.factType === 'processed' ? (fact.rekognitionCalls ?? 0) : 0), 0),
    );
    expect(summary.resizeSavings.reduce((sum, day) => sum + day.bytesIn, 0)).toBe(
      processedOf().reduce((sum, { fact }) => sum + (fact.factType === 'processed' ? fact.bytesIn : 0), 0),
    );
    expect(summary.runLatency.find((day) => day.day === emptyDay)).toMatchObject({ images: 0, p50: null });
    expect(summary.spend.totalUsd).toBeGreaterThan(0);
  });

  it("gives a user their own numbers only, and refuses another owner's", async () => {
    // Act
    const own = await alice.call('/analytics?days=7');
    const other = await alice.call('/analytics?days=7&owner=all');

    // Assess
    expect(own.status).toBe(200);
    expect(own.body.owner).toBe(alice.sub);
    expect((own.body as AnalyticsSummary).imagesPerDay.reduce((sum, day) => sum + day.processed, 0)).toBe(processedOf(alice.sub).length);
    expect(other.status).toBe(403);
  });

  it("lets an admin ask for one owner's numbers", async () => {
    const answer = await admin.call(`/analytics?from=${window[0]}&to=${window[6]}&owner=${alice.sub}`);

    expect(answer.status).toBe(200);
    expect((answer.body as AnalyticsSummary).imagesPerDay.reduce((sum, day) => sum + day.processed, 0)).toBe(processedOf(alice.sub).length);
  });

  it("keeps one pipeline version's facts when asked, with each step's own latency", async () => {
    // Act
    const answer = await admin.call('/analytics?days=7&version=v2');

    // Assess
    expect(answer.status).toBe(200);
    const summary = answer.body as AnalyticsSummary;
    const ofV2 = rows.filter(({ fact }) => fact.factType !== 'flagged' && fact.pipelineVersion === 'v2').map(({ fact }) => fact);
    expect(summary.version).toBe('v2');
    expect(summary.versions).toEqual(['v2']);
    expect(summary.stepLatency.runs).toBe(ofV2.length);
    const resize = summary.stepLatency.steps.find((step) => step.step === 'resize')!;
    expect(resize.timed).toBe(ofV2.filter((fact) => fact.factType !== 'flagged' && fact.resizeMs !== null).length);
    expect(resize.p50).toBeGreaterThan(0);
  });

  it.each([
    ['version=latest', /"version" must be a version name/],
    ['days=0', /"days" must be between 1 and 366/],
    ['days=abc', /"days" must be a whole number/],
    ['from=2026-02-30', /"from" must be a date/],
    ['from=2026-12-05&to=2026-12-01', /must not be after/],
    ['days=7&from=2026-12-01', /either "days" or "from"/],
    ['from=2020-01-01&to=2026-01-01', /at most 366 days/],
    ['owner=someone', /"owner" must be/],
    ['colour=red', /Unknown query parameter "colour"/],
  ])('answers 400 with the reason for %s', async (query, reason) => {
    const answer = await admin.call(`/analytics?${query}`);

    expect(answer.status).toBe(400);
    expect(answer.body.error.message).toMatch(reason);
  });
});
