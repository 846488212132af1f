import { appendFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The local stand-in for a Firehose delivery stream with an S3 destination: each record is appended, as one JSON line,
 * to <dataDir>/firehose/<stream name>/dt=YYYY-MM-DD/records.jsonl, the day being the record's UTC arrival date (as the
 * template's `!{timestamp:yyyy-MM-dd}` prefix). Record format conversion to Parquet is not emulated: the lines are the
 * JSON Firehose would convert. Appends are serialised so lines never interleave.
 */
export interface LocalDeliveryStreams {
  putRecord(streamArn: string, data: string, arrivedAt?: Date): Promise<void>;
  /** The folder a stream writes to. */
  folderOf(streamName: string): string;
}

export function createLocalDeliveryStreams(dataDir: string): LocalDeliveryStreams {
  let writing: Promise<void> = Promise.resolve();
  const folderOf = (streamName: string) => join(dataDir, 'firehose', streamName);
  return {
    folderOf,
    putRecord(streamArn, data, arrivedAt = new Date()) {
      const streamName = /^arn:[a-z-]+:firehose:[a-z0-9-]+:[0-9]{12}:deliverystream\/([A-Za-z0-9_.-]{1,64})$/.exec(streamArn)?.[1];
      if (!streamName || streamName.startsWith('.')) return Promise.reject(new Error(`Not a delivery stream ARN: ${streamArn}`));
      // One record is one line: a newline inside it would split it in two.
      const line = JSON.stringify(JSON.parse(data));
      const folder = join(folderOf(streamName), `dt=${arrivedAt.toISOString().slice(0, 10)}`);
      writing = writing
        .catch(() => undefined)
        .then(async () => {
          await mkdir(folder, { recursive: true });
          await appendFile(join(folder, 'records.jsonl'), `${line}\n`);
        });
      return writing;
    },
  };
}
