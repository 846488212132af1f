import type { ConsoleClients } from './aws-clients';
import type { DynamoImageIndex } from './images/dynamo-image-index';

/** The names of the stack's resources the console reads and writes. */
export interface ConsoleResources {
  uploadsBucket: string;
  processedBucket: string;
  tableName: string;
  stateMachineArn: string;
  topicArn?: string;
  configParameterName?: string;
}

/** One page of the notification outbox, newest first. */
export interface OutboxPage {
  items: unknown[];
  nextCursor?: string | null;
}

/** The sent notifications and e-mails; a local-mode concept (in AWS they leave through SNS/SES), so it stays behind this interface. */
export interface OutboxReader {
  listOutbox(options: { limit: number; cursor?: string }): Promise<OutboxPage>;
  readOutboxItem(id: string): Promise<unknown>;
}

/** The events published on the bus, newest first; local mode keeps them (AWS needs a rule to log them). */
export interface EventLogReader {
  listEvents(options: { limit: number; cursor?: string }): Promise<{ items: unknown[]; nextCursor?: string }>;
}

/** Upload limits the API enforces and the page checks before uploading; they mirror ResizeImage's defaults. */
export interface UploadLimits {
  maxBytes: number;
  contentTypes: readonly string[];
  prefix: string;
}

/** Everything a route needs, created once per server. */
export interface ApiContext {
  clients: ConsoleClients;
  resources: ConsoleResources;
  index: DynamoImageIndex;
  outbox?: OutboxReader;
  events?: EventLogReader;
  aslPath: string;
  limits: UploadLimits;
}

/** The image types ResizeImage accepts by default (SVG is off unless ALLOW_SVG). */
export const DEFAULT_UPLOAD_LIMITS: UploadLimits = Object.freeze({
  maxBytes: 104857600,
  contentTypes: Object.freeze(['image/jpeg', 'image/png', 'image/webp', 'image/gif', 'image/avif', 'image/tiff', 'image/heic', 'image/heif']),
  prefix: 'uploads/',
});
