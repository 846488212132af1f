import type { LocalEventSourceMapping } from '../../template/types';
import type { LocalSqsService, ReceivedMessage } from '../sqs/sqs-service';

/** What an event source mapping needs: the queue and a way to invoke its function synchronously. */
export interface SqsEventSourceDeps {
  sqs: LocalSqsService;
  invoke(functionLogicalId: string, event: unknown): Promise<unknown>;
  region: string;
  log(line: string): void;
}

/** How long an idle poller waits between ReceiveMessage calls (Lambda long-polls; this keeps an idle stack quiet). */
const IDLE_POLL_MS = 200;

/**
 * Lambda's SQS event source mapping, locally: polls the queue, gathers up to BatchSize messages within
 * MaximumBatchingWindowInSeconds, invokes the function with an SQS event shaped as Lambda builds it, then deletes the
 * batch, or with ReportBatchItemFailures every message but the reported ones. A failed invoke deletes nothing: the
 * messages return after the queue's visibility timeout, and the queue's RedrivePolicy moves them to its DLQ after
 * maxReceiveCount receives, as in AWS.
 */
export class SqsEventSource {
  private stopped = false;
  private busy = false;
  private readonly loop: Promise<void>;

  constructor(
    private readonly mapping: LocalEventSourceMapping,
    private readonly deps: SqsEventSourceDeps,
  ) {
    this.loop = mapping.enabled ? this.run() : Promise.resolve();
  }

  /** True while a batch is being received or handled. */
  isBusy(): boolean {
    return this.busy;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      const batch = await this.gather();
      if (batch.length === 0) {
        await new Promise((resolve) => setTimeout(resolve, IDLE_POLL_MS));
        continue;
      }
      this.busy = true;
      try {
        await this.handle(batch);
      } finally {
        this.busy = false;
      }
    }
  }

  /** Receives up to BatchSize messages, waiting at most the batching window once the first has arrived. */
  private async gather(): Promise<ReceivedMessage[]> {
    const { queueArn, batchSize, maximumBatchingWindowSeconds } = this.mapping;
    const batch: ReceivedMessage[] = await this.deps.sqs.receiveMessages(queueArn, { max: Math.min(10, batchSize) }).catch(() => []);
    if (batch.length === 0) return batch;
    this.busy = true;
    const deadline = Date.now() + maximumBatchingWindowSeconds * 1000;
    while (batch.length < batchSize && Date.now() < deadline && !this.stopped) {
      const more = await this.deps.sqs.receiveMessages(queueArn, { max: Math.min(10, batchSize - batch.length) });
      if (more.length === 0) await new Promise((resolve) => setTimeout(resolve, Math.min(100, Math.max(0, deadline - Date.now()))));
      batch.push(...more);
    }
    return batch;
  }

  private async handle(batch: ReceivedMessage[]): Promise<void> {
    const { queueArn, functionLogicalId, reportBatchItemFailures } = this.mapping;
    const event = {
      Records: batch.map((message) => ({
        messageId: message.MessageId,
        receiptHandle: message.ReceiptHandle,
        body: message.Body,
        attributes: message.Attributes,
        messageAttributes: message.MessageAttributes ?? {},
        md5OfBody: message.MD5OfBody,
        eventSource: 'aws:sqs',
        eventSourceARN: queueArn,
        awsRegion: this.deps.region,
      })),
    };
    let failed: Set<string>;
    try {
      const result = (await this.deps.invoke(functionLogicalId, event)) as {
        batchItemFailures?: Array<{ itemIdentifier?: string }>;
      } | null;
      failed = new Set(reportBatchItemFailures ? (result?.batchItemFailures ?? []).map((failure) => String(failure.itemIdentifier)) : []);
    } catch (error) {
      this.deps.log(
        `${functionLogicalId}: batch of ${batch.length} from ${queueArn} failed (${error instanceof Error ? error.name : 'Error'}); the messages return after the visibility timeout`,
      );
      return;
    }
    for (const message of batch) {
      if (!failed.has(message.MessageId)) await this.deps.sqs.deleteMessage(queueArn, message.ReceiptHandle).catch(() => undefined);
    }
  }
}
