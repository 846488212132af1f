import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqsEventSource } from '../../../lambda/sqs-event-source';
import { createSqsService, type LocalSqsService } from '../../sqs-service';

const QUEUE = {
  name: 'work',
  url: 'http://sqs.us-east-1.localhost/000000000000/work',
  arn: 'arn:aws:sqs:us-east-1:000000000000:work',
  visibilityTimeout: 30,
  maxReceiveCount: 3,
  deadLetterTargetArn: 'arn:aws:sqs:us-east-1:000000000000:dead',
};
const DEAD = { name: 'dead', url: 'http://sqs.us-east-1.localhost/000000000000/dead', arn: 'arn:aws:sqs:us-east-1:000000000000:dead' };

async function openQueues(clock: { now: number }): Promise<LocalSqsService> {
  const sqs = await createSqsService({ dataDir: mkdtempSync(join(tmpdir(), 'sqs-')), now: () => clock.now });
  await sqs.createQueue(QUEUE);
  await sqs.createQueue(DEAD);
  return sqs;
}

describe('local SQS', () => {
  it('hides a received message for the visibility timeout, then offers it again', async () => {
    // Prepare
    const clock = { now: 1_000_000 };
    const sqs = await openQueues(clock);
    await sqs.sendMessage(QUEUE.url, 'hello');

    // Act
    const first = await sqs.receiveMessages(QUEUE.arn);
    const hidden = await sqs.receiveMessages(QUEUE.arn);
    clock.now += 30_000;
    const again = await sqs.receiveMessages(QUEUE.arn);

    // Assess
    expect(first.map((m) => m.Body)).toEqual(['hello']);
    expect(hidden).toEqual([]);
    expect(again[0].Attributes.ApproximateReceiveCount).toBe('2');
  });

  it('holds a delayed message back until its delay is over', async () => {
    // Prepare
    const clock = { now: 1_000_000 };
    const sqs = await openQueues(clock);

    // Act
    await sqs.sendMessage(QUEUE.url, 'later', { delaySeconds: 900 });
    const early = await sqs.receiveMessages(QUEUE.url);
    clock.now += 900_000;
    const onTime = await sqs.receiveMessages(QUEUE.url);

    // Assess
    expect(early).toEqual([]);
    expect(onTime.map((m) => m.Body)).toEqual(['later']);
    await expect(sqs.sendMessage(QUEUE.url, 'x', { delaySeconds: 901 })).rejects.toMatchObject({ code: 'InvalidParameterValue' });
  });

  it('moves a message to the dead-letter queue on the receive after maxReceiveCount', async () => {
    // Prepare
    const clock = { now: 1_000_000 };
    const sqs = await openQueues(clock);
    await sqs.sendMessage(QUEUE.url, 'poison');

    // Act
    for (let i = 0; i < 3; i += 1) {
      expect(await sqs.receiveMessages(QUEUE.url)).toHaveLength(1);
      clock.now += 30_000;
    }
    const fourth = await sqs.receiveMessages(QUEUE.url);

    // Assess
    expect(fourth).toEqual([]);
    expect(sqs.peek(DEAD.url).map((m) => m.body)).toEqual(['poison']);
    expect(sqs.counts(QUEUE.url)).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  });

  it('refuses an unknown queue with QueueDoesNotExist', async () => {
    const sqs = await openQueues({ now: 0 });
    await expect(sqs.sendMessage('http://sqs.us-east-1.localhost/000000000000/nope', 'x')).rejects.toMatchObject({
      code: 'QueueDoesNotExist',
      headers: { 'x-amzn-query-error': 'AWS.SimpleQueueService.NonExistentQueue;Sender' },
    });
  });
});

describe('SQS event source mapping', () => {
  it('deletes what the function handled and leaves the reported failures for the queue to redeliver', async () => {
    // Prepare
    const sqs = await openQueues({ now: Date.now() });
    for (const body of ['a', 'b', 'c']) await sqs.sendMessage(QUEUE.url, body);
    const batches: any[] = [];
    const invoke = async (_fn: string, event: any) => {
      batches.push(event);
      return { batchItemFailures: event.Records.filter((r: any) => r.body === 'b').map((r: any) => ({ itemIdentifier: r.messageId })) };
    };

    // Act
    const source = new SqsEventSource(
      {
        logicalId: 'M',
        functionLogicalId: 'Fn',
        queueArn: QUEUE.arn,
        batchSize: 10,
        maximumBatchingWindowSeconds: 0,
        reportBatchItemFailures: true,
        enabled: true,
      },
      { sqs, invoke, region: 'us-east-1', log: () => undefined },
    );
    while (batches.length === 0 || source.isBusy()) await new Promise((resolve) => setTimeout(resolve, 20));
    await source.stop();

    // Assess
    expect(batches[0].Records.map((r: any) => [r.body, r.eventSource, r.eventSourceARN])).toEqual([
      ['a', 'aws:sqs', QUEUE.arn],
      ['b', 'aws:sqs', QUEUE.arn],
      ['c', 'aws:sqs', QUEUE.arn],
    ]);
    expect(sqs.peek(QUEUE.url).map((m) => m.body)).toEqual(['b']);
  });

  it('keeps the whole batch when the function fails', async () => {
    // Prepare
    const sqs = await openQueues({ now: Date.now() });
    await sqs.sendMessage(QUEUE.url, 'a');
    let calls = 0;

    // Act
    const source = new SqsEventSource(
      {
        logicalId: 'M',
        functionLogicalId: 'Fn',
        queueArn: QUEUE.arn,
        batchSize: 10,
        maximumBatchingWindowSeconds: 0,
        reportBatchItemFailures: true,
        enabled: true,
      },
      {
        sqs,
        invoke: async () => {
          calls += 1;
          throw new Error('boom');
        },
        region: 'us-east-1',
        log: () => undefined,
      },
    );
    while (calls === 0 || source.isBusy()) await new Promise((resolve) => setTimeout(resolve, 20));
    await source.stop();

    // Assess
    expect(sqs.peek(QUEUE.url).map((m) => [m.body, m.receiveCount])).toEqual([['a', 1]]);
  });
});
