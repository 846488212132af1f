import { createDynamoDbService, type LocalDynamoDbService } from '../services/dynamodb/dynamodb-service';
import { Outbox } from '../services/outbox/outbox';
import { createS3Service, type LocalS3Service } from '../services/s3/s3-service';
import { createSesService, type LocalSesService } from '../services/ses/ses-service';
import { createSnsService, type LocalSnsService } from '../services/sns/sns-service';
import { createSsmService, type LocalSsmService } from '../services/ssm/ssm-service';
import type { EdgeService } from './types';

/** Options shared by the emulated data services. */
export interface DataServicesOptions {
  /** LOCAL_DATA_DIR (default .local/): every service persists below it. */
  dataDir: string;
  region?: string;
  /** Account id in ARNs (default 000000000000). */
  accountId?: string;
  /** SMTP_URL: also relay e-mails there. */
  smtpUrl?: string;
}

/** The emulated data services, opened on one data folder. */
export interface DataServices {
  s3: LocalS3Service;
  dynamodb: LocalDynamoDbService;
  sns: LocalSnsService;
  ses: LocalSesService;
  ssm: LocalSsmService;
  outbox: Outbox;
  /** For startEdgeServer: JSON-target services first, then the ones routed by signing service. */
  services: EdgeService[];
  /** Closes DynamoDB (LevelDB lock) and the SMTP pool. */
  close(): Promise<void>;
}

/**
 * Opens S3, DynamoDB, SNS, SES v2, SSM and the outbox under one data folder.
 * @throws when a service cannot open its folder (e.g. another process holds the LevelDB lock).
 */
export async function createDataServices(options: DataServicesOptions): Promise<DataServices> {
  const { dataDir, region, accountId } = options;
  const outbox = await Outbox.open(dataDir);
  const [s3, dynamodb, sns, ssm] = await Promise.all([
    createS3Service({ dataDir, region }),
    createDynamoDbService({ dataDir }),
    createSnsService({ dataDir, outbox, region, accountId }),
    createSsmService({ dataDir, region, accountId }),
  ]);
  const ses = createSesService({ outbox, smtpUrl: options.smtpUrl });
  return {
    s3,
    dynamodb,
    sns,
    ses,
    ssm,
    outbox,
    services: [dynamodb, ssm, s3, sns, ses],
    async close() {
      ses.close();
      await dynamodb.close();
    },
  };
}

/** The browser origins of a console on the given port (both loopback spellings). */
export function consoleOrigins(consolePort: number): string[] {
  return [`http://127.0.0.1:${consolePort}`, `http://localhost:${consolePort}`];
}
