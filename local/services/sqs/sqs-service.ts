import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AwsServiceError } from '../../edge/aws-error';
import { awsJsonProtocol } from '../../edge/protocols/aws-json';
import { matchTarget } from '../../edge/router';
import type { EdgeRequest, EdgeResponse, EdgeService } from '../../edge/types';
import { writeFileAtomic } from '../s3/atomic-file';

/** A queue as the template declares it. */
export interface QueueSpec {
  name: string;
  url: string;
  arn: string;
  /** Seconds a received message stays invisible (default 30). */
  visibilityTimeout?: number;
  /** Default delay of new messages, seconds. */
  delaySeconds?: number;
  /** RedrivePolicy: after this many receives the next receive moves the message to the dead-letter queue. */
  maxReceiveCount?: number;
  deadLetterTargetArn?: string;
}

/** One message in a queue. */
export interface QueueMessage {
  messageId: string;
  body: string;
  md5OfBody: string;
  sentAt: number;
  visibleAt: number;
  receiveCount: number;
  firstReceivedAt?: number;
  receiptHandle?: string;
  attributes?: Record<string, { DataType: string; StringValue?: string }>;
}

/** A received message, as ReceiveMessage answers it (and the event source mapping reads it). */
export interface ReceivedMessage {
  MessageId: string;
  ReceiptHandle: string;
  Body: string;
  MD5OfBody: string;
  Attributes: Record<string, string>;
  MessageAttributes?: QueueMessage['attributes'];
}

/** SQS's JSON 1.0 protocol; the SDK also reads the query-compatible error code from x-amzn-query-error. */
const SQS_JSON = awsJsonProtocol({ version: '1.0', namespace: 'com.amazonaws.sqs' });

const QUERY_CODES: Record<string, string> = {
  QueueDoesNotExist: 'AWS.SimpleQueueService.NonExistentQueue;Sender',
  ReceiptHandleIsInvalid: 'ReceiptHandleIsInvalid;Sender',
  InvalidParameterValue: 'InvalidParameterValue;Sender',
};

function sqsError(code: string, message: string): AwsServiceError {
  return new AwsServiceError(code, 400, message, {}, QUERY_CODES[code] ? { 'x-amzn-query-error': QUERY_CODES[code] } : {});
}

const MAX_BODY_BYTES = 256 * 1024;
const MAX_DELAY_SECONDS = 900;

/** The local SQS: an edge service (JSON 1.0) plus the API the event source mappings and EventBridge targets use. */
export interface LocalSqsService extends EdgeService {
  /** Creates (or keeps) a queue of the template. */
  createQueue(spec: QueueSpec): Promise<void>;
  /** The queue a URL, ARN or name names. @throws AwsServiceError QueueDoesNotExist. */
  queueOf(reference: string): QueueSpec;
  sendMessage(
    reference: string,
    body: string,
    options?: { delaySeconds?: number; attributes?: QueueMessage['attributes'] },
  ): Promise<{ MessageId: string; MD5OfMessageBody: string }>;
  receiveMessages(
    reference: string,
    options?: { max?: number; visibilityTimeout?: number; waitSeconds?: number },
  ): Promise<ReceivedMessage[]>;
  deleteMessage(reference: string, receiptHandle: string): Promise<void>;
  changeVisibility(reference: string, receiptHandle: string, seconds: number): Promise<void>;
  /** Visible, in-flight and delayed message counts. */
  counts(reference: string): { visible: number; inFlight: number; delayed: number };
  /** Every message of a queue (console, tests). */
  peek(reference: string): QueueMessage[];
  close(): Promise<void>;
}

/**
 * Opens the local SQS: standard queues persisted in <dataDir>/sqs/<queue>.json, visibility timeouts, delays, long
 * polling, and RedrivePolicy (a receive past maxReceiveCount moves the message to the dead-letter queue). FIFO
 * queues, batch APIs other than the ones below, and message timers per batch entry are not emulated.
 */
export async function createSqsService(options: { dataDir: string; now?: () => number }): Promise<LocalSqsService> {
  const now = options.now ?? Date.now;
  const folder = join(options.dataDir, 'sqs');
  await mkdir(folder, { recursive: true });
  const specs = new Map<string, QueueSpec>();
  const messages = new Map<string, QueueMessage[]>();
  const waiters = new Map<string, Set<() => void>>();
  const saves = new Map<string, Promise<void>>();

  const save = (name: string) => {
    const previous = saves.get(name) ?? Promise.resolve();
    const next = previous.then(() => writeFileAtomic(join(folder, `${name}.json`), JSON.stringify(messages.get(name) ?? [])));
    saves.set(
      name,
      next.catch(() => undefined),
    );
  };
  const wake = (name: string) => {
    for (const waiter of waiters.get(name) ?? []) waiter();
  };

  const queueOf = (reference: string): QueueSpec => {
    const name = reference.startsWith('arn:') ? reference.split(':').pop()! : reference.split('/').pop()!;
    const spec = specs.get(name);
    if (!spec) throw sqsError('QueueDoesNotExist', 'The specified queue does not exist.');
    return spec;
  };

  const put = (spec: QueueSpec, message: QueueMessage) => {
    messages.get(spec.name)!.push(message);
    save(spec.name);
    wake(spec.name);
  };

  const sendMessage: LocalSqsService['sendMessage'] = async (reference, body, sendOptions = {}) => {
    const spec = queueOf(reference);
    if (typeof body !== 'string' || body.length === 0)
      throw sqsError('InvalidParameterValue', 'The request must contain the parameter MessageBody.');
    if (Buffer.byteLength(body, 'utf8') > MAX_BODY_BYTES)
      throw sqsError(
        'InvalidParameterValue',
        `One or more parameters are invalid. Reason: Message must be shorter than ${MAX_BODY_BYTES} bytes.`,
      );
    const delay = sendOptions.delaySeconds ?? spec.delaySeconds ?? 0;
    if (!Number.isInteger(delay) || delay < 0 || delay > MAX_DELAY_SECONDS)
      throw sqsError('InvalidParameterValue', `Value ${delay} for parameter DelaySeconds is invalid. Reason: must be between 0 and 900.`);
    const md5OfBody = createHash('md5').update(body, 'utf8').digest('hex');
    const sentAt = now();
    const message: QueueMessage = {
      messageId: randomUUID(),
      body,
      md5OfBody,
      sentAt,
      visibleAt: sentAt + delay * 1000,
      receiveCount: 0,
      ...(sendOptions.attributes ? { attributes: sendOptions.attributes } : {}),
    };
    put(spec, message);
    if (delay > 0) setTimeout(() => wake(spec.name), delay * 1000 + 5).unref();
    return { MessageId: message.messageId, MD5OfMessageBody: md5OfBody };
  };

  /** Takes up to `max` visible messages, moving those past maxReceiveCount to the dead-letter queue. */
  const take = (spec: QueueSpec, max: number, visibilityTimeout: number): ReceivedMessage[] => {
    const list = messages.get(spec.name)!;
    const taken: ReceivedMessage[] = [];
    const current = now();
    for (const message of [...list].sort((a, b) => a.sentAt - b.sentAt)) {
      if (taken.length >= max) break;
      if (message.visibleAt > current) continue;
      if (spec.maxReceiveCount !== undefined && spec.deadLetterTargetArn && message.receiveCount >= spec.maxReceiveCount) {
        list.splice(list.indexOf(message), 1);
        const deadLetter = queueOf(spec.deadLetterTargetArn);
        put(deadLetter, { ...message, visibleAt: current, receiptHandle: undefined });
        continue;
      }
      message.receiveCount += 1;
      message.firstReceivedAt ??= current;
      message.visibleAt = current + visibilityTimeout * 1000;
      message.receiptHandle = `${message.messageId}#${randomBytes(12).toString('hex')}`;
      taken.push({
        MessageId: message.messageId,
        ReceiptHandle: message.receiptHandle,
        Body: message.body,
        MD5OfBody: message.md5OfBody,
        Attributes: {
          ApproximateReceiveCount: String(message.receiveCount),
          SentTimestamp: String(message.sentAt),
          SenderId: '000000000000',
          ApproximateFirstReceiveTimestamp: String(message.firstReceivedAt),
        },
        ...(message.attributes ? { MessageAttributes: message.attributes } : {}),
      });
    }
    save(spec.name);
    return taken;
  };

  const receiveMessages: LocalSqsService['receiveMessages'] = async (reference, receive = {}) => {
    const spec = queueOf(reference);
    const max = receive.max ?? 1;
    if (!Number.isInteger(max) || max < 1 || max > 10)
      throw sqsError('InvalidParameterValue', 'Value for parameter MaxNumberOfMessages is invalid. Reason: must be between 1 and 10.');
    const visibility = receive.visibilityTimeout ?? spec.visibilityTimeout ?? 30;
    const first = take(spec, max, visibility);
    const wait = Math.min(20, receive.waitSeconds ?? 0);
    if (first.length > 0 || wait <= 0) return first;
    return new Promise((resolve) => {
      const set = waiters.get(spec.name) ?? new Set();
      waiters.set(spec.name, set);
      const done = (result: ReceivedMessage[]) => {
        set.delete(check);
        clearTimeout(timer);
        resolve(result);
      };
      const check = () => {
        const got = take(spec, max, visibility);
        if (got.length > 0) done(got);
      };
      const timer = setTimeout(() => done([]), wait * 1000);
      set.add(check);
    });
  };

  const inFlight = (reference: string, receiptHandle: string): QueueMessage => {
    const spec = queueOf(reference);
    const message = messages.get(spec.name)!.find((candidate) => candidate.receiptHandle === receiptHandle);
    if (!message) throw sqsError('ReceiptHandleIsInvalid', `The input receipt handle "${receiptHandle}" is not a valid receipt handle.`);
    return message;
  };

  const deleteMessage: LocalSqsService['deleteMessage'] = async (reference, receiptHandle) => {
    const spec = queueOf(reference);
    const list = messages.get(spec.name)!;
    const index = list.findIndex((message) => message.receiptHandle === receiptHandle);
    // SQS accepts a delete of a message that is already gone; only a handle it never issued is invalid.
    if (index < 0 && !receiptHandle.includes('#'))
      throw sqsError('ReceiptHandleIsInvalid', `The input receipt handle "${receiptHandle}" is not a valid receipt handle.`);
    if (index >= 0) list.splice(index, 1);
    save(spec.name);
  };

  const changeVisibility: LocalSqsService['changeVisibility'] = async (reference, receiptHandle, seconds) => {
    const message = inFlight(reference, receiptHandle);
    message.visibleAt = now() + seconds * 1000;
    save(queueOf(reference).name);
    if (seconds === 0) wake(queueOf(reference).name);
  };

  const counts = (reference: string) => {
    const current = now();
    const list = messages.get(queueOf(reference).name)!;
    return {
      visible: list.filter((message) => message.visibleAt <= current).length,
      inFlight: list.filter((message) => message.visibleAt > current && message.receiveCount > 0).length,
      delayed: list.filter((message) => message.visibleAt > current && message.receiveCount === 0).length,
    };
  };

  const handle = async (req: EdgeRequest): Promise<EdgeResponse> => {
    const action = (req.target ?? '').slice('AmazonSQS.'.length);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a wire request of any action; each handler checks its fields
    const body = SQS_JSON.parseBody(req) as Record<string, any>;
    switch (action) {
      case 'SendMessage':
        return SQS_JSON.ok(
          await sendMessage(String(body.QueueUrl ?? ''), body.MessageBody, {
            delaySeconds: body.DelaySeconds,
            attributes: body.MessageAttributes,
          }),
        );
      case 'ReceiveMessage': {
        const received = await receiveMessages(String(body.QueueUrl ?? ''), {
          max: body.MaxNumberOfMessages,
          visibilityTimeout: body.VisibilityTimeout,
          waitSeconds: body.WaitTimeSeconds,
        });
        return SQS_JSON.ok(received.length > 0 ? { Messages: received } : {});
      }
      case 'DeleteMessage':
        await deleteMessage(String(body.QueueUrl ?? ''), String(body.ReceiptHandle ?? ''));
        return SQS_JSON.ok({});
      case 'ChangeMessageVisibility':
        await changeVisibility(String(body.QueueUrl ?? ''), String(body.ReceiptHandle ?? ''), Number(body.VisibilityTimeout ?? 0));
        return SQS_JSON.ok({});
      case 'GetQueueUrl':
        return SQS_JSON.ok({ QueueUrl: queueOf(String(body.QueueName ?? '')).url });
      case 'ListQueues':
        return SQS_JSON.ok({
          QueueUrls: [...specs.values()].filter((spec) => spec.name.startsWith(String(body.QueueNamePrefix ?? ''))).map((spec) => spec.url),
        });
      case 'GetQueueAttributes': {
        const spec = queueOf(String(body.QueueUrl ?? ''));
        const count = counts(spec.url);
        const all: Record<string, string> = {
          QueueArn: spec.arn,
          ApproximateNumberOfMessages: String(count.visible),
          ApproximateNumberOfMessagesNotVisible: String(count.inFlight),
          ApproximateNumberOfMessagesDelayed: String(count.delayed),
          VisibilityTimeout: String(spec.visibilityTimeout ?? 30),
          DelaySeconds: String(spec.delaySeconds ?? 0),
          ...(spec.deadLetterTargetArn
            ? { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: spec.deadLetterTargetArn, maxReceiveCount: spec.maxReceiveCount }) }
            : {}),
        };
        const names: string[] = Array.isArray(body.AttributeNames) ? body.AttributeNames : ['All'];
        return SQS_JSON.ok({
          Attributes: names.includes('All') ? all : Object.fromEntries(Object.entries(all).filter(([name]) => names.includes(name))),
        });
      }
      case 'PurgeQueue': {
        const spec = queueOf(String(body.QueueUrl ?? ''));
        messages.set(spec.name, []);
        save(spec.name);
        return SQS_JSON.ok({});
      }
      default:
        throw new AwsServiceError('InvalidAction', 400, `Local SQS does not implement the action ${action || '(none)'}`);
    }
  };

  return {
    name: 'sqs',
    protocol: SQS_JSON,
    matches: matchTarget('AmazonSQS.'),
    handle,
    async createQueue(spec) {
      specs.set(spec.name, spec);
      if (!messages.has(spec.name)) {
        const stored = await readFile(join(folder, `${spec.name}.json`), 'utf8')
          .then((text) => JSON.parse(text) as QueueMessage[])
          .catch(() => []);
        messages.set(spec.name, stored);
      }
    },
    queueOf,
    sendMessage,
    receiveMessages,
    deleteMessage,
    changeVisibility,
    counts,
    peek: (reference) => [...messages.get(queueOf(reference).name)!],
    async close() {
      await Promise.all(saves.values());
    },
  };
}
