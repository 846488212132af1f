import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyticsFactSchema, factFromEvent, pipelineEventSchema } from '@smart-image-pipeline/contracts';
import { createEventsService } from '../../../events/events-service';
import { loadLocalApp } from '../../../../template';
import { createLocalDeliveryStreams } from '../../delivery-stream';

const repoRoot = join(__dirname, '..', '..', '..', '..', '..');
const example = (name: string): any =>
  JSON.parse(readFileSync(join(repoRoot, 'packages/contracts/event-schemas/examples', `${name}.json`), 'utf8'));

describe('local analytics facts: bus -> template rules -> delivery stream -> JSON lines', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'facts-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('writes one fact per event, as factFromEvent builds it, in the folder of the arrival day', async () => {
    // Prepare
    const app = loadLocalApp({ rootDir: repoRoot });
    const streams = createLocalDeliveryStreams(dataDir);
    const events = await createEventsService({
      dataDir,
      region: app.pseudo.region,
      accountId: app.pseudo.accountId,
      targets: {
        sendToQueue: async () => undefined,
        invokeFunction: async () => undefined,
        putRecord: (arn, data) => streams.putRecord(arn, data),
      },
    });
    for (const bus of app.eventBuses) events.addBus(bus.name);
    for (const rule of app.eventRules.filter((candidate) => candidate.logicalId.startsWith('Analytics'))) events.addRule(rule);
    const sent = ['image-processed', 'image-failed', 'image-flagged'].map(example);

    // Act
    const answer = await events.putEvents(
      sent.map((event) => ({
        EventBusName: app.eventBuses[0].name,
        Source: event.source,
        DetailType: event['detail-type'],
        Detail: JSON.stringify(event.detail),
        Resources: event.resources,
      })),
    );
    await events.drain();

    // Assess
    expect(answer.FailedEntryCount).toBe(0);
    const [stream] = readdirSync(join(dataDir, 'firehose'));
    const [day] = readdirSync(join(dataDir, 'firehose', stream));
    expect(day).toBe(`dt=${new Date().toISOString().slice(0, 10)}`);
    const facts = readFileSync(join(dataDir, 'firehose', stream, day, 'records.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => analyticsFactSchema.parse(JSON.parse(line)));
    const delivered = (await events.listEvents()).items.map((item) => item.event);
    const expected = delivered.map((event) => factFromEvent(pipelineEventSchema.parse(event)));
    expect(facts.map((fact) => fact.factType).sort()).toEqual(['failed', 'flagged', 'processed']);
    expect(facts).toEqual(expect.arrayContaining(expected));
  });

  it('refuses a record for something that is not a delivery stream and keeps a line per record', async () => {
    // Prepare
    const streams = createLocalDeliveryStreams(dataDir);

    // Act and assess
    await expect(streams.putRecord('arn:aws:firehose:us-east-1:000000000000:deliverystream/../x', '{}')).rejects.toThrow(
      'Not a delivery stream ARN',
    );
    await streams.putRecord('arn:aws:firehose:us-east-1:000000000000:deliverystream/s', '{"a":\n1}', new Date('2026-01-02T23:59:59Z'));
    expect(readFileSync(join(dataDir, 'firehose', 's', 'dt=2026-01-02', 'records.jsonl'), 'utf8')).toBe('{"a":1}\n');
  });
});
