import type { Log } from '../../../src/start-executions';

/** One captured log call. */
export interface LogEntry {
  level: 'info' | 'error';
  message: string;
  attributes: Record<string, unknown>;
}

/** A logger that keeps what it was told, so tests can check what reaches the logs. */
export class RecordingLogger implements Log {
  public readonly entries: LogEntry[] = [];

  public info(message: string, ...extra: Record<string, unknown>[]): void {
    this.entries.push({ level: 'info', message, attributes: Object.assign({}, ...extra) });
  }

  public error(message: string, ...extra: Record<string, unknown>[]): void {
    this.entries.push({ level: 'error', message, attributes: Object.assign({}, ...extra) });
  }
}
