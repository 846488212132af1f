import type { EdgeService } from '../edge/types';
import { Outbox } from '../services/outbox/outbox';
import { createSnsService, type LocalSnsService } from '../services/sns/sns-service';
import type { LocalApp } from '../template/types';

/** SNS, SES v2 and SSM with the outbox they write to. */
export interface NotificationServices {
  outbox: Outbox;
  sns: LocalSnsService;
  edgeServices: EdgeService[];
  /** Creates the template's topics and SSM parameters (idempotently; a parameter's value follows the template). */
  createResources(app: LocalApp): Promise<void>;
  close(): Promise<void>;
}

/** Opens the outbox and starts the SNS, SES v2 and SSM services over it. */
export async function createNotificationServices(options: { dataDir: string; region: string }): Promise<NotificationServices> {
  const outbox = await Outbox.open(options.dataDir);
  const sns = await createSnsService({ dataDir: options.dataDir, outbox, region: options.region });
  return {
    outbox,
    sns,
    edgeServices: [sns],
    async createResources(app) {
      for (const topic of app.topics) await sns.createTopic(topic.name);
    },
    async close() {},
  };
}
