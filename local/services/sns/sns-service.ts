import { randomUUID } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AwsServiceError } from '../../edge/aws-error';
import { awsQueryProtocol } from '../../edge/protocols/aws-query';
import { matchSigningService } from '../../edge/router';
import type { EdgeRequest, EdgeResponse, EdgeService } from '../../edge/types';
import type { Outbox, OutboxSnsMessage } from '../outbox/outbox';
import { writeFileAtomic } from '../s3/atomic-file';

/** Options of the local SNS. */
export interface SnsServiceOptions {
  dataDir: string;
  outbox: Outbox;
  region?: string;
  /** Account id put in topic ARNs (default 000000000000). */
  accountId?: string;
}

/** Input of Publish, as in the SNS API. */
export interface SnsPublishInput {
  TopicArn?: string;
  TargetArn?: string;
  /** An E.164 phone number: the message is an SMS (it lands in the outbox as one). */
  PhoneNumber?: string;
  /** A non-string (as a Step Functions sns:publish task may pass) is sent as its JSON text, as Step Functions does. */
  Message: string | Record<string, unknown> | unknown[];
  Subject?: string;
  MessageStructure?: string;
  MessageGroupId?: string;
  MessageAttributes?: Record<string, { DataType: string; StringValue?: string; BinaryValue?: string }>;
}

/** SNS's query protocol. */
const SNS_QUERY = awsQueryProtocol({ xmlns: 'http://sns.amazonaws.com/doc/2010-03-31/' });

/** The local SNS: an edge service (query protocol) plus the API the runner and Step Functions integrations call. */
export interface LocalSnsService extends EdgeService {
  /** Creates a topic (idempotent) and returns its ARN. @throws AwsServiceError InvalidParameter for a bad name. */
  createTopic(name: string): Promise<string>;
  /** ARNs of every topic. */
  listTopics(): string[];
  /** Publishes one message into the outbox. @throws AwsServiceError NotFound, InvalidParameter. */
  publish(input: SnsPublishInput): Promise<{ MessageId: string }>;
}

/** Largest message SNS takes. */
const MAX_MESSAGE_BYTES = 256 * 1024;

/**
 * Opens the local SNS; topics persist in <dataDir>/sns/topics.json and every published message is written to the outbox.
 * Subscriptions are not emulated: the outbox is the only subscriber.
 */
export async function createSnsService(options: SnsServiceOptions): Promise<LocalSnsService> {
  const region = options.region ?? 'us-east-1';
  const accountId = options.accountId ?? '000000000000';
  const folder = join(options.dataDir, 'sns');
  const topicsFile = join(folder, 'topics.json');
  await mkdir(folder, { recursive: true });
  const topics = new Set<string>(
    await readFile(topicsFile, 'utf8')
      .then((text) => JSON.parse(text) as string[])
      .catch(() => []),
  );
  const arnOf = (name: string) => `arn:aws:sns:${region}:${accountId}:${name}`;

  const createTopic = async (name: string) => {
    if (!/^[A-Za-z0-9_-]{1,256}(\.fifo)?$/.test(name)) {
      throw new AwsServiceError('InvalidParameter', 400, 'Invalid parameter: Topic Name');
    }
    if (!topics.has(name)) {
      topics.add(name);
      await writeFileAtomic(topicsFile, JSON.stringify([...topics]));
    }
    return arnOf(name);
  };

  const publish = async (raw: SnsPublishInput) => {
    const input = {
      ...raw,
      Message: typeof raw.Message === 'string' || raw.Message === undefined ? raw.Message : JSON.stringify(raw.Message),
    };
    if (input.PhoneNumber !== undefined) return publishSms(input);
    const arn = input.TopicArn ?? input.TargetArn;
    if (!arn)
      throw new AwsServiceError(
        'InvalidParameter',
        400,
        'Invalid parameter: TopicArn or TargetArn Reason: no value for required parameter',
      );
    // The topic name decides; region and account in the ARN are not checked, as local mode has one of each.
    const name = arn.split(':').pop() ?? '';
    if (!arn.startsWith('arn:aws:sns:') || !topics.has(name)) throw new AwsServiceError('NotFound', 404, 'Topic does not exist');
    if (input.Message === undefined || input.Message === '')
      throw new AwsServiceError('InvalidParameter', 400, 'Invalid parameter: Message');
    if (Buffer.byteLength(input.Message, 'utf8') > MAX_MESSAGE_BYTES)
      throw new AwsServiceError('InvalidParameter', 400, 'Invalid parameter: Message too long');
    if (input.MessageStructure === 'json') checkJsonStructure(input.Message);
    const messageId = randomUUID();
    const sns: OutboxSnsMessage = {
      topicArn: arnOf(name),
      messageId,
      message: input.Message,
      ...(input.Subject !== undefined ? { subject: input.Subject } : {}),
      ...(input.MessageStructure ? { messageStructure: input.MessageStructure } : {}),
      ...(input.MessageGroupId ? { messageGroupId: input.MessageGroupId } : {}),
      ...(input.MessageAttributes
        ? {
            messageAttributes: Object.fromEntries(
              Object.entries(input.MessageAttributes).map(([key, value]) => [
                key,
                { dataType: value.DataType, stringValue: value.StringValue, binaryValue: value.BinaryValue },
              ]),
            ),
          }
        : {}),
    };
    await options.outbox.add({ kind: 'sns', sns });
    return { MessageId: messageId };
  };

  /** SMS to a phone number: no sandbox or origination identity locally, but SNS's own input rules apply. */
  const publishSms = async (input: SnsPublishInput & { Message?: string }) => {
    if (input.TopicArn !== undefined || input.TargetArn !== undefined)
      throw new AwsServiceError('InvalidParameter', 400, 'Invalid parameter: PhoneNumber, TopicArn and TargetArn are mutually exclusive');
    if (!/^\+?[0-9]{8,15}$/.test(input.PhoneNumber ?? ''))
      throw new AwsServiceError('InvalidParameter', 400, 'Invalid parameter: PhoneNumber Reason: input incorrectly formatted');
    if (input.Message === undefined || input.Message === '')
      throw new AwsServiceError('InvalidParameter', 400, 'Invalid parameter: Message');
    if (Buffer.byteLength(input.Message, 'utf8') > 1600)
      throw new AwsServiceError('InvalidParameter', 400, 'Invalid parameter: Message too long for SMS');
    const messageId = randomUUID();
    await options.outbox.add({
      kind: 'sms',
      sms: {
        messageId,
        phoneNumber: input.PhoneNumber as string,
        message: input.Message,
        ...(input.MessageAttributes
          ? {
              messageAttributes: Object.fromEntries(
                Object.entries(input.MessageAttributes).map(([key, value]) => [
                  key,
                  { dataType: value.DataType, stringValue: value.StringValue },
                ]),
              ),
            }
          : {}),
      },
    });
    return { MessageId: messageId };
  };

  const handle = async (req: EdgeRequest): Promise<EdgeResponse> => {
    const params = SNS_QUERY.params(req);
    const action = params.get('Action') ?? '';
    switch (action) {
      case 'Publish': {
        const { MessageId } = await publish({
          TopicArn: params.get('TopicArn') ?? undefined,
          TargetArn: params.get('TargetArn') ?? undefined,
          PhoneNumber: params.get('PhoneNumber') ?? undefined,
          Message: params.get('Message') ?? '',
          Subject: params.get('Subject') ?? undefined,
          MessageStructure: params.get('MessageStructure') ?? undefined,
          MessageGroupId: params.get('MessageGroupId') ?? undefined,
          MessageAttributes: readMessageAttributes(params),
        });
        return SNS_QUERY.ok('Publish', { MessageId });
      }
      case 'CreateTopic':
        return SNS_QUERY.ok('CreateTopic', { TopicArn: await createTopic(params.get('Name') ?? '') });
      case 'ListTopics':
        return SNS_QUERY.ok('ListTopics', { Topics: { member: [...topics].map((name) => ({ TopicArn: arnOf(name) })) } });
      case 'GetTopicAttributes': {
        const name = (params.get('TopicArn') ?? '').split(':').pop() ?? '';
        if (!topics.has(name)) throw new AwsServiceError('NotFound', 404, 'Topic does not exist');
        const entries = {
          TopicArn: arnOf(name),
          Owner: accountId,
          DisplayName: '',
          SubscriptionsConfirmed: '0',
          SubscriptionsPending: '0',
        };
        return SNS_QUERY.ok('GetTopicAttributes', {
          Attributes: { entry: Object.entries(entries).map(([key, value]) => ({ key, value })) },
        });
      }
      default:
        throw new AwsServiceError('InvalidAction', 400, `Local SNS does not implement the action ${action || '(none)'}`);
    }
  };

  return {
    name: 'sns',
    protocol: SNS_QUERY,
    matches: matchSigningService('sns'),
    handle,
    createTopic,
    listTopics: () => [...topics].map(arnOf),
    publish,
  };
}

/** Reads MessageAttributes.entry.N.{Name,Value.DataType,Value.StringValue,Value.BinaryValue}. */
function readMessageAttributes(params: URLSearchParams): SnsPublishInput['MessageAttributes'] {
  const attributes: NonNullable<SnsPublishInput['MessageAttributes']> = {};
  for (let index = 1; params.has(`MessageAttributes.entry.${index}.Name`); index += 1) {
    const prefix = `MessageAttributes.entry.${index}`;
    attributes[params.get(`${prefix}.Name`) ?? ''] = {
      DataType: params.get(`${prefix}.Value.DataType`) ?? 'String',
      StringValue: params.get(`${prefix}.Value.StringValue`) ?? undefined,
      BinaryValue: params.get(`${prefix}.Value.BinaryValue`) ?? undefined,
    };
  }
  return Object.keys(attributes).length > 0 ? attributes : undefined;
}

/** With MessageStructure=json, SNS needs a JSON object with a "default" string. @throws AwsServiceError InvalidParameter. */
function checkJsonStructure(message: string): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(message);
  } catch {
    throw new AwsServiceError('InvalidParameter', 400, 'Invalid parameter: Message Structure - JSON message body failed to parse');
  }
  if (typeof parsed !== 'object' || parsed === null || typeof (parsed as Record<string, unknown>).default !== 'string') {
    throw new AwsServiceError('InvalidParameter', 400, 'Invalid parameter: Message Structure - No default entry in JSON message body');
  }
}
