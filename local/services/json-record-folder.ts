import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from './s3/atomic-file';

/**
 * Records kept as one JSON file each in a folder (the local MediaConvert's and Rekognition Video's jobs). Each write goes
 * to a temporary file that is renamed into place, so a crash leaves a record's previous state, never half of it, and
 * the writes of one record keep their order.
 */
export class JsonRecordFolder<T> {
  private readonly writes = new Map<string, Promise<void>>();

  constructor(
    readonly dir: string,
    private readonly isRecord: (value: unknown) => value is T,
  ) {
    mkdirSync(dir, { recursive: true });
  }

  /** Every stored record; a file that is not one (hand-edited or foreign JSON) is skipped and named. */
  load(): { records: T[]; skipped: string[] } {
    const records: T[] = [];
    const skipped: string[] = [];
    for (const file of readdirSync(this.dir)) {
      if (!file.endsWith('.json')) continue;
      let value: unknown;
      try {
        value = JSON.parse(readFileSync(join(this.dir, file), 'utf8'));
      } catch {
        value = undefined;
      }
      if (this.isRecord(value)) records.push(value);
      else skipped.push(file);
    }
    return { records, skipped };
  }

  /** Writes `<name>.json` with the record as it is now; resolves when it is on disk. */
  save(name: string, record: T): Promise<void> {
    const text = JSON.stringify(record);
    const next = (this.writes.get(name) ?? Promise.resolve()).then(() => writeFileAtomic(join(this.dir, `${name}.json`), text));
    const settled = next.catch(() => undefined);
    this.writes.set(name, settled);
    void settled.then(() => {
      if (this.writes.get(name) === settled) this.writes.delete(name);
    });
    return next;
  }

  /** Resolves when every write started so far has ended. */
  async flushed(): Promise<void> {
    await Promise.all(this.writes.values());
  }
}
