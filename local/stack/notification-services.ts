import type { EdgeService } from '../edge/types';
import { Outbox } from '../services/outbox/outbox';
import { createSesService, type LocalSesService } from '../services/ses/ses-service';
import { createSnsService, type LocalSnsService } from '../services/sns/sns-service';
import { createSsmService, type LocalSsmService } from '../services/ssm/ssm-service';
import type { LocalApp } from '../template/types';

/** SNS, SES v2 and SSM with the outbox they write to. */
export interface NotificationServices {
  outbox: Outbox;
  sns: LocalSnsService;
  ses: LocalSesService;
  ssm: LocalSsmService;
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
  const ssm = await createSsmService({ dataDir: options.dataDir, region: options.region });
  return {
    outbox,
    sns,
    ses,
    ssm,
    edgeServices: [sns, ses, ssm],
    async createResources(app) {
      for (const topic of app.topics) await sns.createTopic(topic.name);
      for (const parameter of app.ssmParameters) {
        // The template is the one wiring source: a start applies its value, as a deploy would.
        if (ssm.getParameter(parameter.name)?.Value === parameter.value) continue;
        await ssm.putParameter({ Name: parameter.name, Value: parameter.value, Type: parameter.type as 'String', Overwrite: true });
      }
    },
    async close() {
      await ses.drainRelays();
    },
  };
}
