import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTopicCommand, ListTopicsCommand, PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { startEdgeServer, type EdgeServer } from '../../../../edge/server';
import { edgeClientConfig } from '../../../../edge/tests/support/edge-client';
import { Outbox } from '../../../outbox/outbox';
import { createSnsService, type LocalSnsService } from '../../sns-service';

describe('local SNS through the edge', () => {
  let dataDir: string;
  let outbox: Outbox;
  let sns: LocalSnsService;
  let edge: EdgeServer;
  let client: SNSClient;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'sip-sns-'));
    outbox = await Outbox.open(dataDir);
    sns = await createSnsService({ dataDir, outbox });
    edge = await startEdgeServer({ port: 0, services: [sns], faults: {} });
    client = new SNSClient(edgeClientConfig(edge.url));
  });
  afterAll(async () => {
    client.destroy();
    await edge.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('publishes a message with attributes into the outbox', async () => {
    // Prepare
    const topicArn = await sns.createTopic('image-events');
    const message = JSON.stringify({ type: 'ImageProcessed', imageId: 'abc', labels: ['Dog'] });

    // Act
    const published = await client.send(
      new PublishCommand({
        TopicArn: topicArn,
        Message: message,
        Subject: 'Image processed & stored',
        MessageAttributes: { status: { DataType: 'String', StringValue: 'SUCCEEDED' } },
      }),
    );
    const { items } = await outbox.listOutbox({ limit: 1 });

    // Assess
    expect(published.MessageId).toMatch(/^[0-9a-f-]{36}$/);
    expect(items[0]).toMatchObject({
      kind: 'sns',
      sns: {
        topicArn,
        messageId: published.MessageId,
        message,
        subject: 'Image processed & stored',
        messageAttributes: { status: { dataType: 'String', stringValue: 'SUCCEEDED' } },
      },
    });
  });

  it('creates and lists topics over the wire', async () => {
    // Act
    const created = await client.send(new CreateTopicCommand({ Name: 'from-cli' }));
    const listed = await client.send(new ListTopicsCommand({}));

    // Assess
    expect(created.TopicArn).toBe('arn:aws:sns:us-east-1:000000000000:from-cli');
    expect(listed.Topics?.map((topic) => topic.TopicArn)).toContain(created.TopicArn);
  });

  it('answers a publish to an unknown topic with NotFound', async () => {
    // Act
    const attempt = client.send(new PublishCommand({ TopicArn: 'arn:aws:sns:us-east-1:000000000000:missing', Message: 'x' }));

    // Assess
    await expect(attempt).rejects.toMatchObject({ name: 'NotFoundException', $metadata: { httpStatusCode: 404 } });
  });
});
