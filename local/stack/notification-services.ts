import type { EdgeService } from '../edge/types';
import { Outbox } from '../services/outbox/outbox';
import { createSesService, type LocalSesService } from '../services/ses/ses-service';
import { createSnsService, type LocalSnsService } from '../services/sns/sns-service';
import type { LocalApp } from '../template/types';

/** SNS, SES v2 and SSM with the outbox they write to. */
export interface NotificationServices {
  outbox: Outbox;
  sns: LocalSnsService;
  ses: LocalSesService;
  edgeServices: EdgeService[];
  /** Creates the template's topics and SSM parameters (idempotently; a parameter's value follows the template). */
  createResources(app: LocalApp): Promise<void>;
  close(): Promise<void>;
}

/** Opens the outbox and starts the SNS, SES v2 and SSM services over it. */
export async function createNotificationServices(options: { dataDir: string; region: string }): Promise<NotificationServices> {
  const outbox = await Outbox.open(options.dataDir);
  const sns = await createSnsService({ dataDir: options.dataDir, outbox, region: options.region });
  // E-mail is also relayed to SMTP_URL when set (e.g. a local MailHog), besides landing in the outbox.
  const ses = createSesService({ outbox, smtpUrl: process.env.SMTP_URL || undefined });
  return {
    outbox,
    sns,
    ses,
    edgeServices: [sns, ses],
    async createResources(app) {
      for (const topic of app.topics) await sns.createTopic(topic.name);
    },
    async close() {
      await ses.drainRelays();
    },
  };
}
