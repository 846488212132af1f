import { CorruptVideoError, VideoTooLargeError } from './errors';

/** An object read by byte ranges; `read` returns fewer bytes only at the end of the object. */
export interface RangeSource {
  readonly size: number;
  read(offset: number, length: number): Promise<Uint8Array>;
}

/** How much of an object one probe may read: the header parsers never need more, whatever the file claims. */
export interface ReadBudget {
  maxBytes: number;
  maxReads: number;
}

/** The probe's budget: a 1-hour video's index (moov) is a few MB; 32 MiB in at most 64 ranged GETs. */
export const DEFAULT_READ_BUDGET: Readonly<ReadBudget> = Object.freeze({ maxBytes: 32 * 1024 * 1024, maxReads: 64 });

/**
 * Reads ranges of a source within a budget, so a hostile header (a huge declared index, a chain of tiny boxes)
 * costs bounded memory, time and requests.
 */
export class BudgetedReader {
  private bytes = 0;
  private reads = 0;

  constructor(
    private readonly source: RangeSource,
    private readonly budget: ReadBudget = DEFAULT_READ_BUDGET,
  ) {}

  get size(): number {
    return this.source.size;
  }

  /** Bytes read so far. */
  get bytesRead(): number {
    return this.bytes;
  }

  /**
   * Reads exactly `length` bytes at `offset`.
   * @throws VideoTooLargeError past the budget; CorruptVideoError when the object ends first (truncated).
   */
  async read(offset: number, length: number, what: string): Promise<Uint8Array> {
    if (length <= 0) return new Uint8Array(0);
    if (this.bytes + length > this.budget.maxBytes) {
      throw new VideoTooLargeError(
        `Reading the ${what} (${length} bytes at offset ${offset}) would exceed the probe's ${this.budget.maxBytes}-byte header budget`,
      );
    }
    if (this.reads + 1 > this.budget.maxReads)
      throw new CorruptVideoError(`The header needs more than ${this.budget.maxReads} reads to walk (${what} at offset ${offset})`);
    if (offset + length > this.source.size)
      throw new CorruptVideoError(
        `The ${what} at offset ${offset} needs ${length} bytes but the file ends at ${this.source.size}: it is truncated`,
      );
    this.reads += 1;
    this.bytes += length;
    const data = await this.source.read(offset, length);
    if (data.length < length)
      throw new CorruptVideoError(`The ${what} at offset ${offset}: only ${data.length} of ${length} bytes could be read`);
    return data;
  }
}
