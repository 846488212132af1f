import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventBridgeClient, PutEventsCommand, TestEventPatternCommand } from '@aws-sdk/client-eventbridge';
import { GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { startLocalStack, type LocalStack } from '../..';

jest.setTimeout(120_000);

const example = (name: string): any =>
  JSON.parse(readFileSync(join(__dirname, '../../../../packages/contracts/event-schemas/examples', `${name}.json`), 'utf8'));

/** Bus -> rule -> SQS -> event source mapping -> notifier, as the template wires it, with the real SDK clients. */
describe('event delivery in local mode', () => {
  let dataDir: string;
  let stack: LocalStack;
  const lines: string[] = [];
  const config = () => ({
    endpoint: stack.edgeUrl,
    region: 'us-east-1',
    maxAttempts: 1,
    credentials: { accessKeyId: 'any', secretAccessKey: 'any' },
  });
  const queue = (logicalId: string) => stack.app.queues.find((q) => q.logicalId === logicalId)!;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'sip-events-'));
    stack = await startLocalStack({
      dataDir,
      edgePort: 0,
      withVision: false,
      recover: false,
      logSink: (id, line) => void lines.push(`${id} ${line}`),
    });
  });
  afterAll(async () => {
    await stack?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('delivers an owned Image Processed event through the notification rule and queue to the notifier, which deletes it', async () => {
    // Prepare
    const { detail } = example('image-processed');
    const bus = stack.app.eventBuses[0].name;

    // Act
    const put = await new EventBridgeClient(config()).send(
      new PutEventsCommand({
        Entries: [{ EventBusName: bus, Source: 'smart-image-pipeline', DetailType: 'Image Processed', Detail: JSON.stringify(detail) }],
      }),
    );
    await stack.waitForIdle();
    const [archived] = (await stack.services.eventing.events.listEvents({ limit: 1 })).items;
    const attributes = await new SQSClient(config()).send(
      new GetQueueAttributesCommand({ QueueUrl: queue('NotificationQueue').url, AttributeNames: ['All'] }),
    );

    // Assess
    expect(put.FailedEntryCount).toBe(0);
    expect(archived.event).toMatchObject({ id: put.Entries![0].EventId, 'detail-type': 'Image Processed', detail });
    expect(archived.deliveries).toEqual(
      expect.arrayContaining([
        { rule: `${stack.app.pseudo.stackName}-NotifyOwnerRule`, target: 'notification-queue', outcome: 'delivered' },
      ]),
    );
    expect(attributes.Attributes).toMatchObject({ ApproximateNumberOfMessages: '0', ApproximateNumberOfMessagesNotVisible: '0' });
    expect(stack.services.eventing.sqs.peek(queue('NotificationDeadLetterQueue').url)).toEqual([]);
    // No user pool is wired yet, so no address can be verified: the notifier says so and sends nothing.
    expect(
      lines.some((line) => line.startsWith('NotifyUserFunction') && line.includes('Notification handled') && line.includes('unverified')),
    ).toBe(true);
  });

  it('keeps unowned and flagged images away from the notifier', async () => {
    // Prepare
    const unowned = example('image-failed').detail;
    unowned.owner = 'unowned';
    const bus = stack.app.eventBuses[0].name;

    // Act
    await new EventBridgeClient(config()).send(
      new PutEventsCommand({
        Entries: [
          { EventBusName: bus, Source: 'smart-image-pipeline', DetailType: 'Image Failed', Detail: JSON.stringify(unowned) },
          {
            EventBusName: bus,
            Source: 'smart-image-pipeline',
            DetailType: 'Image Flagged',
            Detail: JSON.stringify(example('image-flagged').detail),
          },
        ],
      }),
    );
    await stack.waitForIdle();
    const [flagged, failed] = (await stack.services.eventing.events.listEvents({ limit: 2 })).items;

    // Assess
    expect(failed.deliveries.map((d) => d.rule)).not.toContain(`${stack.app.pseudo.stackName}-NotifyOwnerRule`);
    expect(flagged.deliveries.map((d) => d.rule)).not.toContain(`${stack.app.pseudo.stackName}-NotifyOwnerRule`);
    expect(flagged.deliveries.map((d) => d.rule)).toEqual([`${stack.app.pseudo.stackName}-AnalyticsFlaggedFactsRule`]);
  });

  it('refuses a malformed detail per entry and an invalid pattern in TestEventPattern, as EventBridge does', async () => {
    // Act
    const put = await new EventBridgeClient(config()).send(
      new PutEventsCommand({ Entries: [{ EventBusName: stack.app.eventBuses[0].name, Source: 's', DetailType: 'd', Detail: 'not json' }] }),
    );
    const test = new EventBridgeClient(config()).send(
      new TestEventPatternCommand({ EventPattern: '{"source":"s"}', Event: JSON.stringify(example('image-processed')) }),
    );

    // Assess
    expect(put).toMatchObject({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'MalformedDetail' }] });
    await expect(test).rejects.toMatchObject({
      name: 'InvalidEventPatternException',
      message: expect.stringContaining('source must be an array'),
    });
  });

  it('serves SQS to the SDK: send, receive, and QueueDoesNotExist for an unknown queue', async () => {
    // Prepare
    const sqs = new SQSClient(config());
    const url = queue('UnpublishedEventsQueue').url;

    // Act
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: '{"events":{}}' }));
    const received = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10 }));
    const missing = sqs.send(new SendMessageCommand({ QueueUrl: `${url}-missing`, MessageBody: 'x' }));

    // Assess
    expect(received.Messages?.map((m) => m.Body)).toEqual(['{"events":{}}']);
    await expect(missing).rejects.toMatchObject({ name: 'QueueDoesNotExist' });
  });
});
