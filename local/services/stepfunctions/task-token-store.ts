import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** An open task token as the data folder keeps it: which execution's which callback state it belongs to. */
export interface KeptToken {
  token: string;
  executionArn: string;
  state: string;
}

/** A SendTaskSuccess/SendTaskFailure that arrived for a kept token before its redriven run reached that state again. */
export type EarlySettlement = { kind: 'success'; output: unknown } | { kind: 'failure'; error: string; cause: string };

type Line =
  | ({ t: 'issue' } & KeptToken)
  | { t: 'settle'; token: string }
  | { t: 'early'; executionArn: string; state: string; settlement: EarlySettlement; token: string }
  | { t: 'used'; executionArn: string; state: string };

/**
 * Keeps the open task tokens in `<dataDir>/stepfunctions/task-tokens.jsonl` (append-only, compacted at load), so a
 * token handed out before an `npm start` restart is still known after it: its run is redriven from the start, and a
 * SendTask* call with the old token settles the same callback state of the redriven run (README "Local mode").
 */
export class TaskTokenStore {
  private readonly file: string;

  constructor(dataDir: string) {
    const dir = join(dataDir, 'stepfunctions');
    mkdirSync(dir, { recursive: true });
    this.file = join(dir, 'task-tokens.jsonl');
  }

  /**
   * Reads what an earlier process left: the tokens still open and the settlements that arrived early, keeping only
   * those of executions `isRunning` says are still running; the file is rewritten with just those.
   */
  load(isRunning: (executionArn: string) => boolean): { open: KeptToken[]; early: Array<Extract<Line, { t: 'early' }>> } {
    const open = new Map<string, KeptToken>();
    const early = new Map<string, Extract<Line, { t: 'early' }>>();
    const text = existsSync(this.file) ? readFileSync(this.file, 'utf8') : '';
    for (const raw of text.split('\n')) {
      let line: Line;
      try {
        line = JSON.parse(raw) as Line;
      } catch {
        continue; // an empty or torn last line
      }
      if (line.t === 'issue') open.set(line.token, { token: line.token, executionArn: line.executionArn, state: line.state });
      else if (line.t === 'settle') open.delete(line.token);
      else if (line.t === 'early') {
        open.delete(line.token);
        early.set(`${line.executionArn}#${line.state}`, line);
      } else if (line.t === 'used') early.delete(`${line.executionArn}#${line.state}`);
    }
    const kept = {
      open: [...open.values()].filter((entry) => isRunning(entry.executionArn)),
      early: [...early.values()].filter((entry) => isRunning(entry.executionArn)),
    };
    writeFileSync(
      this.file,
      [...kept.open.map((e) => ({ t: 'issue', ...e })), ...kept.early].map((l) => `${JSON.stringify(l)}\n`).join(''),
    );
    return kept;
  }

  issued(entry: KeptToken): void {
    this.append({ t: 'issue', ...entry });
  }

  settled(token: string): void {
    this.append({ t: 'settle', token });
  }

  settledEarly(token: string, executionArn: string, state: string, settlement: EarlySettlement): void {
    this.append({ t: 'early', token, executionArn, state, settlement });
  }

  /** Forgets an early settlement once the redriven run used it. */
  used(executionArn: string, state: string): void {
    this.append({ t: 'used', executionArn, state });
  }

  private append(line: Line): void {
    appendFileSync(this.file, `${JSON.stringify(line)}\n`);
  }
}
