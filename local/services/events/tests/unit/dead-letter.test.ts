import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEventServices, type EventServices } from '../../../../stack/event-services';
import { loadLocalApp } from '../../../../template';
import type { LocalApp } from '../../../../template/types';

const repoRoot = join(__dirname, '../../../../..');
const example = (name: string): any =>
  JSON.parse(readFileSync(join(repoRoot, 'packages/contracts/event-schemas/examples', `${name}.json`), 'utf8'));

/**
 * The template's rules on the local EventBridge, with the local Firehose and SQS behind them: a fact the delivery
 * stream refuses lands in the analytics DLQ, as the rules' DeadLetterConfig says.
 */
describe('analytics rules dead-letter what the local delivery stream refuses', () => {
  let dataDir: string;
  let app: LocalApp;
  let services: EventServices;
  const queueUrl = (logicalId: string) => app.queues.find((queue) => queue.logicalId === logicalId)!.url;

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'sip-events-dlq-'));
    app = loadLocalApp({ rootDir: repoRoot });
    services = await createEventServices(app, dataDir);
  });
  afterEach(async () => {
    await services.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  const publish = async (name: string, detailType: string) => {
    const put = await services.events.putEvents([
      {
        EventBusName: app.eventBuses[0].name,
        Source: 'smart-image-pipeline',
        DetailType: detailType,
        Detail: JSON.stringify(example(name).detail),
      },
    ]);
    await services.drain();
    const [archived] = (await services.events.listEvents({ limit: 1 })).items;
    return { eventId: put.Entries[0].EventId, archived };
  };

  it.each([
    ['image-processed', 'Image Processed', 'AnalyticsProcessedFactsRule'],
    ['image-failed', 'Image Failed', 'AnalyticsFailedFactsRule'],
    ['image-flagged', 'Image Flagged', 'AnalyticsFlaggedFactsRule'],
  ])('parks a %s event in the analytics DLQ when the delivery stream cannot write its fact', async (name, detailType, ruleId) => {
    // Prepare: a file where the local Firehose keeps its folders, so every write to the stream fails.
    await writeFile(join(dataDir, 'firehose'), 'not a folder');

    // Act
    const { eventId, archived } = await publish(name, detailType);
    const parked = services.sqs.peek(queueUrl('AnalyticsDeadLetterQueue')).map((message) => JSON.parse(message.body));

    // Assess
    expect(archived.deliveries).toContainEqual(
      expect.objectContaining({ rule: `${app.pseudo.stackName}-${ruleId}`, target: 'analytics-delivery-stream', outcome: 'dead-lettered' }),
    );
    expect(parked).toEqual([expect.objectContaining({ id: eventId, 'detail-type': detailType, detail: example(name).detail })]);
  });

  it('leaves the analytics DLQ empty when the fact is written', async () => {
    // Act
    const { archived } = await publish('image-processed', 'Image Processed');

    // Assess
    expect(archived.deliveries).toContainEqual(
      expect.objectContaining({ rule: `${app.pseudo.stackName}-AnalyticsProcessedFactsRule`, outcome: 'delivered' }),
    );
    expect(services.sqs.peek(queueUrl('AnalyticsDeadLetterQueue'))).toEqual([]);
  });

  it('reports the fact as failed, not dead-lettered, when the DLQ refuses it too', async () => {
    // Prepare: the analytics rules' DLQ a queue that does not exist, and a stream that cannot write.
    const missingQueueArn = `arn:aws:sqs:${app.pseudo.region}:${app.pseudo.accountId}:no-such-queue`;
    const eventRules = app.eventRules.map((rule) => ({
      ...rule,
      targets: rule.targets.map((target) => (target.deadLetterArn ? { ...target, deadLetterArn: missingQueueArn } : target)),
    }));
    await services.close();
    services = await createEventServices({ ...app, eventRules }, dataDir);
    await writeFile(join(dataDir, 'firehose'), 'not a folder');

    // Act
    const { archived } = await publish('image-flagged', 'Image Flagged');

    // Assess
    expect(archived.deliveries).toEqual([
      expect.objectContaining({
        rule: `${app.pseudo.stackName}-AnalyticsFlaggedFactsRule`,
        target: 'analytics-delivery-stream',
        outcome: 'failed',
      }),
    ]);
  });
});
