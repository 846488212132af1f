import { randomUUID } from 'node:crypto';
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AwsServiceError } from '../../edge/aws-error';
import { awsJsonProtocol } from '../../edge/protocols/aws-json';
import { matchTarget } from '../../edge/router';
import type { EdgeRequest, EdgeResponse, EdgeService } from '../../edge/types';
import { eventPatternProblems, matchesEventPattern } from './event-pattern';
import { applyInputTransformer, type InputTransformerSpec } from './input-transformer';

/** A rule as the template declares it: on a bus, with a pattern, sending to targets. */
export interface EventRuleSpec {
  name: string;
  arn: string;
  eventBusName: string;
  eventPattern: Record<string, unknown>;
  enabled: boolean;
  targets: Array<{ id: string; arn: string; deadLetterArn?: string; inputTransformer?: InputTransformerSpec }>;
}

/** An event as EventBridge delivers it to a target. */
export interface BusEvent {
  version: '0';
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: unknown;
}

/** One PutEvents entry as it was received, matched and delivered (the console's events page). */
export interface ArchivedEvent {
  eventBusName: string;
  receivedAt: string;
  event: BusEvent;
  /** The rules it matched, and what became of each target delivery. */
  deliveries: Array<{ rule: string; target: string; outcome: 'delivered' | 'dead-lettered' | 'failed'; error?: string }>;
}

/**
 * Where targets are delivered: SQS queues, Lambda functions (invoked asynchronously, as EventBridge does) and Firehose
 * delivery streams.
 */
export interface EventTargets {
  sendToQueue(queueArn: string, body: string): Promise<void>;
  invokeFunction(functionArn: string, event: unknown): Promise<void>;
  putRecord(streamArn: string, data: string): Promise<void>;
}

/** EventBridge's JSON 1.1 protocol. */
const EVENTS_JSON = awsJsonProtocol({ version: '1.1' });

/** PutEvents takes at most 10 entries of at most 256 KB together. */
const MAX_ENTRIES = 10;
const MAX_BYTES = 256 * 1024;

/** The local EventBridge: an edge service plus the API the console and tests read. */
export interface LocalEventsService extends EdgeService {
  /** Adds a bus and rules of the template; a rule whose pattern is invalid is refused with the reasons. */
  addBus(name: string): void;
  addRule(rule: EventRuleSpec): void;
  putEvents(
    entries: Array<Record<string, unknown>>,
  ): Promise<{ FailedEntryCount: number; Entries: Array<{ EventId?: string; ErrorCode?: string; ErrorMessage?: string }> }>;
  /** Archived events, newest first; with `filter`, only those it accepts (the cursor counts those only). */
  listEvents(options?: {
    limit?: number;
    cursor?: string;
    filter?: (event: ArchivedEvent) => boolean;
  }): Promise<{ items: ArchivedEvent[]; nextCursor?: string }>;
  /** Resolves when every delivery started so far has finished. */
  drain(): Promise<void>;
  hasPending(): boolean;
}

/**
 * Opens the local EventBridge: PutEvents on the template's buses (and `default`), each event matched against the
 * template's rules with the event-pattern matcher and sent to their SQS, Firehose or Lambda targets (an asynchronous
 * invoke, with the function's retries); a delivery the target refuses goes to the target's DeadLetterConfig queue at
 * once (EventBridge's retries are not emulated). TestEventPattern, ListRules, ListEventBuses and DescribeEventBus.
 * Every event is kept in <dataDir>/events/events.jsonl with its deliveries. Archives, replays, schedules,
 * Input/InputPath and other target types are not emulated.
 */
export async function createEventsService(options: {
  dataDir: string;
  region: string;
  accountId: string;
  targets: EventTargets;
}): Promise<LocalEventsService> {
  const folder = join(options.dataDir, 'events');
  const archiveFile = join(folder, 'events.jsonl');
  await mkdir(folder, { recursive: true });
  const buses = new Set(['default']);
  const rules: EventRuleSpec[] = [];
  const pending = new Set<Promise<void>>();
  let writing: Promise<void> = Promise.resolve();

  const busName = (value: unknown): string => {
    const text = typeof value === 'string' && value !== '' ? value : 'default';
    return text.startsWith('arn:') ? text.slice(text.lastIndexOf('/') + 1) : text;
  };

  const deliver = async (eventBusName: string, event: BusEvent): Promise<void> => {
    const archived: ArchivedEvent = { eventBusName, receivedAt: new Date().toISOString(), event, deliveries: [] };
    for (const rule of rules.filter(
      (candidate) => candidate.enabled && candidate.eventBusName === eventBusName && matchesEventPattern(candidate.eventPattern, event),
    )) {
      for (const target of rule.targets) {
        try {
          const body = target.inputTransformer ? applyInputTransformer(target.inputTransformer, event) : JSON.stringify(event);
          if (target.arn.includes(':lambda:'))
            await options.targets.invokeFunction(target.arn, target.inputTransformer ? JSON.parse(body) : event);
          else if (target.arn.includes(':firehose:')) await options.targets.putRecord(target.arn, body);
          else await options.targets.sendToQueue(target.arn, body);
          archived.deliveries.push({ rule: rule.name, target: target.id, outcome: 'delivered' });
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          // A DLQ that refuses the event too loses it, as EventBridge's InvocationsFailedToBeSentToDlq counts.
          const parked = target.deadLetterArn
            ? await options.targets.sendToQueue(target.deadLetterArn, JSON.stringify(event)).then(
                () => true,
                () => false,
              )
            : false;
          archived.deliveries.push({ rule: rule.name, target: target.id, outcome: parked ? 'dead-lettered' : 'failed', error: message });
        }
      }
    }
    writing = writing.then(() => appendFile(archiveFile, `${JSON.stringify(archived)}\n`));
    await writing;
  };

  const putEvents: LocalEventsService['putEvents'] = async (entries) => {
    if (!Array.isArray(entries) || entries.length === 0 || entries.length > MAX_ENTRIES) {
      throw new AwsServiceError(
        'ValidationException',
        400,
        `1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length between 1 and ${MAX_ENTRIES}`,
      );
    }
    if (Buffer.byteLength(JSON.stringify(entries), 'utf8') > MAX_BYTES)
      throw new AwsServiceError('ValidationException', 400, 'Total size of the entries in the request is over the limit.');
    const results: Array<{ EventId?: string; ErrorCode?: string; ErrorMessage?: string }> = [];
    for (const entry of entries) {
      const failure = (ErrorCode: string, ErrorMessage: string) => results.push({ ErrorCode, ErrorMessage });
      const eventBusName = busName(entry.EventBusName);
      if (!buses.has(eventBusName)) {
        failure('NotAuthorizedForSourceException', `Event bus ${eventBusName} does not exist.`);
        continue;
      }
      if (typeof entry.Source !== 'string' || entry.Source === '') {
        failure('InvalidArgument', 'Parameter Source is not valid. Reason: Source is a required argument.');
        continue;
      }
      if (typeof entry.DetailType !== 'string' || entry.DetailType === '') {
        failure('InvalidArgument', 'Parameter DetailType is not valid. Reason: DetailType is a required argument.');
        continue;
      }
      let detail: unknown;
      try {
        detail = JSON.parse(String(entry.Detail));
      } catch {
        failure('MalformedDetail', 'Detail is malformed.');
        continue;
      }
      if (typeof detail !== 'object' || detail === null || Array.isArray(detail)) {
        failure('MalformedDetail', 'Detail is malformed.');
        continue;
      }
      const time = typeof entry.Time === 'string' || entry.Time instanceof Date ? new Date(entry.Time as string) : new Date();
      const event: BusEvent = {
        version: '0',
        id: randomUUID(),
        'detail-type': entry.DetailType,
        source: entry.Source,
        account: options.accountId,
        time: time.toISOString().replace(/\.\d{3}Z$/, 'Z'),
        region: options.region,
        resources: Array.isArray(entry.Resources) ? entry.Resources.map(String) : [],
        detail,
      };
      results.push({ EventId: event.id });
      // Delivered after PutEvents answers, as EventBridge does: a slow target never slows the publisher.
      const delivery = new Promise<void>((resolve) => setImmediate(resolve))
        .then(() => deliver(eventBusName, event))
        .finally(() => pending.delete(delivery));
      pending.add(delivery);
    }
    return { FailedEntryCount: results.filter((result) => result.ErrorCode).length, Entries: results };
  };

  const handle = async (req: EdgeRequest): Promise<EdgeResponse> => {
    const action = (req.target ?? '').slice('AWSEvents.'.length);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a wire request of any action; each handler checks its fields
    const body = EVENTS_JSON.parseBody(req) as Record<string, any>;
    switch (action) {
      case 'PutEvents':
        return EVENTS_JSON.ok(await putEvents(body.Entries));
      case 'TestEventPattern': {
        let pattern: unknown;
        let event: unknown;
        try {
          pattern = JSON.parse(String(body.EventPattern));
          event = JSON.parse(String(body.Event));
        } catch {
          throw new AwsServiceError('InvalidEventPatternException', 400, 'Event pattern is not valid. Reason: it is not JSON');
        }
        const problems = eventPatternProblems(pattern);
        if (problems.length > 0)
          throw new AwsServiceError('InvalidEventPatternException', 400, `Event pattern is not valid. Reason: ${problems.join('; ')}`);
        return EVENTS_JSON.ok({ Result: matchesEventPattern(pattern as Record<string, unknown>, event) });
      }
      case 'ListRules': {
        const bus = busName(body.EventBusName);
        return EVENTS_JSON.ok({
          Rules: rules
            .filter((rule) => rule.eventBusName === bus && rule.name.startsWith(String(body.NamePrefix ?? '')))
            .map((rule) => ({
              Name: rule.name,
              Arn: rule.arn,
              EventPattern: JSON.stringify(rule.eventPattern),
              State: rule.enabled ? 'ENABLED' : 'DISABLED',
              EventBusName: rule.eventBusName,
            })),
        });
      }
      case 'ListEventBuses':
        return EVENTS_JSON.ok({
          EventBuses: [...buses].map((name) => ({
            Name: name,
            Arn: `arn:aws:events:${options.region}:${options.accountId}:event-bus/${name}`,
          })),
        });
      case 'DescribeEventBus': {
        const name = busName(body.Name);
        if (!buses.has(name)) throw new AwsServiceError('ResourceNotFoundException', 400, `Event bus ${name} does not exist.`);
        return EVENTS_JSON.ok({ Name: name, Arn: `arn:aws:events:${options.region}:${options.accountId}:event-bus/${name}` });
      }
      default:
        throw new AwsServiceError('InvalidAction', 400, `Local EventBridge does not implement the action ${action || '(none)'}`);
    }
  };

  return {
    name: 'events',
    protocol: EVENTS_JSON,
    matches: matchTarget('AWSEvents.'),
    handle,
    addBus: (name) => void buses.add(name),
    addRule(rule) {
      const problems = eventPatternProblems(rule.eventPattern);
      if (problems.length > 0)
        throw new AwsServiceError(
          'InvalidEventPatternException',
          400,
          `Event pattern of rule ${rule.name} is not valid. Reason: ${problems.join('; ')}`,
        );
      rules.push(rule);
    },
    putEvents,
    async listEvents({ limit = 50, cursor, filter } = {}) {
      await writing;
      const lines = await readFile(archiveFile, 'utf8').catch(() => '');
      const all = lines
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as ArchivedEvent)
        .filter((event) => !filter || filter(event))
        .reverse();
      const start = cursor === undefined ? 0 : Number(cursor);
      const items = all.slice(start, start + Math.max(1, Math.min(limit, 500)));
      return { items, ...(start + items.length < all.length ? { nextCursor: String(start + items.length) } : {}) };
    },
    async drain() {
      while (pending.size > 0) await Promise.all([...pending]);
      await writing;
    },
    hasPending: () => pending.size > 0,
  };
}
