import type { ObjectCreatedEventName } from './event-record';
import type { MultipartStore } from './multipart';
import type { DeleteResult, ObjectVersion, S3Store } from './store';

/** What the S3 operations share: the stores, the region and the event hook. */
export interface S3Context {
  store: S3Store;
  multipart: MultipartStore;
  region: string;
  /** Queues an ObjectCreated event; delivery happens after the response, never inside it. */
  emitCreated(eventName: ObjectCreatedEventName, bucket: string, key: string, version: ObjectVersion): void;
  /** Queues the ObjectRemoved event of a deletion, if it deleted anything. */
  emitRemoved(bucket: string, key: string, result: DeleteResult): void;
}
