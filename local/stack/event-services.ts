import type { EdgeService } from '../edge/types';
import { createAthenaService } from '../services/athena/athena-service';
import { createEventsService, type LocalEventsService } from '../services/events/events-service';
import { createLocalDeliveryStreams } from '../services/firehose/delivery-stream';
import { SqsEventSource } from '../services/lambda/sqs-event-source';
import { createSqsService, type LocalSqsService } from '../services/sqs/sqs-service';
import type { LocalApp } from '../template/types';

/**
 * EventBridge, SQS and Firehose (JSON lines in the data folder) with the template's buses, rules, queues and SQS event
 * source mappings (issue 12), and Athena over the facts Firehose wrote (issue 15).
 */
export interface EventServices {
  events: LocalEventsService;
  sqs: LocalSqsService;
  edgeServices: EdgeService[];
  /**
   * Starts the event source mappings and Lambda rule targets once the functions can be invoked: `invoke` synchronously
   * (an event source mapping), `invokeAsync` as an asynchronous invoke (an EventBridge target).
   */
  startEventSources(
    invoke: (functionLogicalId: string, event: unknown) => Promise<unknown>,
    invokeAsync: (functionArn: string, event: unknown) => void,
    log: (line: string) => void,
  ): void;
  /** True while an event is being delivered, or a mapped queue holds a message that is visible or being handled. */
  isBusy(): boolean;
  drain(): Promise<void>;
  close(): Promise<void>;
}

/** Opens the local EventBridge and SQS over one data folder and creates the template's resources in them. */
export async function createEventServices(app: LocalApp, dataDir: string): Promise<EventServices> {
  const sqs = await createSqsService({ dataDir });
  const deliveryStreams = createLocalDeliveryStreams(dataDir);
  const athena = createAthenaService({ dataDir });
  for (const queue of app.queues) await sqs.createQueue(queue);
  let invokeAsync: ((functionArn: string, event: unknown) => void) | undefined;
  const events = await createEventsService({
    dataDir,
    region: app.pseudo.region,
    accountId: app.pseudo.accountId,
    targets: {
      sendToQueue: async (queueArn, body) => void (await sqs.sendMessage(queueArn, body)),
      invokeFunction: async (functionArn, event) => {
        if (!invokeAsync) throw new Error('Functions are not running yet');
        invokeAsync(functionArn, event);
      },
      putRecord: (streamArn, data) => deliveryStreams.putRecord(streamArn, data),
    },
  });
  for (const bus of app.eventBuses) events.addBus(bus.name);
  for (const rule of app.eventRules) events.addRule(rule);
  const sources: SqsEventSource[] = [];
  const mappedQueues = app.eventSourceMappings.map((mapping) => mapping.queueArn);
  return {
    events,
    sqs,
    edgeServices: [events, sqs, athena],
    startEventSources(invoke, invokeFunction, log) {
      invokeAsync = invokeFunction;
      for (const mapping of app.eventSourceMappings)
        sources.push(new SqsEventSource(mapping, { sqs, invoke, region: app.pseudo.region, log }));
    },
    isBusy: () =>
      events.hasPending() || sources.some((source) => source.isBusy()) || mappedQueues.some((queue) => sqs.counts(queue).visible > 0),
    drain: () => events.drain(),
    async close() {
      await Promise.all(sources.map((source) => source.stop()));
      await sqs.close();
      athena.close();
    },
  };
}
