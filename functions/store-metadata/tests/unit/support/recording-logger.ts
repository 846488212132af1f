import type { Log } from '../../../src/image-store';

/** A logger that keeps what it was told, so tests can check what reaches the logs. */
export class RecordingLogger implements Log {
  public readonly entries: { message: string; attributes: Record<string, unknown> }[] = [];

  public info(message: string, ...extra: Record<string, unknown>[]): void {
    this.entries.push({ message, attributes: Object.assign({}, ...extra) });
  }
}
