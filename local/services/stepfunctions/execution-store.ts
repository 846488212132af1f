import { appendFileSync, existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { ExecutionRecord, ExecutionStatus, HistoryEvent } from './types';

type Line =
  | { t: 'start'; executionArn: string; stateMachineArn: string; name: string; input: string; startDate: number }
  | { t: 'event'; e: HistoryEvent }
  | { t: 'end'; status: ExecutionStatus; stopDate: number; output?: string; error?: string; cause?: string }
  | { t: 'redrive'; redriveDate: number; redriveCount: number };

/**
 * Keeps every execution as an append-only JSON-lines file under `<dataDir>/stepfunctions/executions/<state machine>/`.
 * Appends are small and synchronous, so a killed process leaves at worst one torn last line, which loading skips.
 */
export class ExecutionStore {
  private readonly root: string;

  constructor(dataDir: string) {
    this.root = join(dataDir, 'stepfunctions', 'executions');
    mkdirSync(this.root, { recursive: true });
  }

  /** Reads every execution kept on disk; one that has no end line was running when the process stopped. */
  loadAll(): ExecutionRecord[] {
    const records: ExecutionRecord[] = [];
    for (const machine of readdirSync(this.root)) {
      for (const file of readdirSync(join(this.root, machine))) {
        if (!file.endsWith('.jsonl')) continue;
        const record = this.parse(readFileSync(join(this.root, machine, file), 'utf8'));
        if (record) records.push(record);
      }
    }
    return records;
  }

  /** Records a new execution. */
  start(record: ExecutionRecord): void {
    const { executionArn, stateMachineArn, name, input, startDate } = record;
    this.append(record, { t: 'start', executionArn, stateMachineArn, name, input, startDate });
  }

  /** Appends one history event. */
  event(record: ExecutionRecord, event: HistoryEvent): void {
    this.append(record, { t: 'event', e: event });
  }

  /** Records the final status. */
  end(record: ExecutionRecord): void {
    const { status, stopDate, output, error, cause } = record;
    this.append(record, { t: 'end', status, stopDate: stopDate ?? Date.now(), output, error, cause });
  }

  /** Records that a closed or interrupted execution runs again. */
  redrive(record: ExecutionRecord): void {
    this.append(record, { t: 'redrive', redriveDate: record.redriveDate ?? Date.now(), redriveCount: record.redriveCount });
  }

  private append(record: ExecutionRecord, line: Line): void {
    const dir = join(this.root, machineFolder(record.stateMachineArn));
    if (!existsSync(dir)) mkdirSync(dir, { recursive: true });
    appendFileSync(join(dir, executionFileName(record.name)), `${JSON.stringify(line)}\n`);
  }

  private parse(text: string): ExecutionRecord | undefined {
    let record: ExecutionRecord | undefined;
    for (const raw of text.split('\n')) {
      if (!raw.trim()) continue;
      let line: Line;
      try {
        line = JSON.parse(raw) as Line;
      } catch {
        continue;
      }
      if (line.t === 'start') {
        record = { ...line, status: 'RUNNING', redriveCount: 0, history: [] };
        delete (record as { t?: string }).t;
      } else if (!record) {
        continue;
      } else if (line.t === 'event') {
        record.history.push(line.e);
      } else if (line.t === 'end') {
        Object.assign(record, { status: line.status, stopDate: line.stopDate, output: line.output, error: line.error, cause: line.cause });
      } else if (line.t === 'redrive') {
        Object.assign(record, { status: 'RUNNING', redriveDate: line.redriveDate, redriveCount: line.redriveCount, stopDate: undefined });
        Object.assign(record, { output: undefined, error: undefined, cause: undefined });
      }
    }
    return record;
  }
}

function machineFolder(stateMachineArn: string): string {
  return stateMachineArn.split(':').pop() ?? 'state-machine';
}

/**
 * The file of one execution: its name when that is a plain [0-9A-Za-z_-] name, else a hash, because AWS names may
 * hold dots and non-ASCII (".." or 80 four-byte characters make no safe file name). The name itself is in the file.
 */
function executionFileName(name: string): string {
  return /^[0-9A-Za-z_-]{1,80}$/.test(name) ? `${name}.jsonl` : `~${createHash('sha256').update(name).digest('hex')}.jsonl`;
}
