import { EventEmitter } from 'node:events';
import { cpus } from 'node:os';
import { ExecutionAbortedError, ExecutionError, ExecutionTimeoutError, StateMachine } from 'aws-local-stepfunctions';
import type { LocalStateMachine } from '../../template/types';
import { ServiceClosedError, sfnApiError } from './errors';
import { installPromiseWithResolvers } from './polyfill';
import { ExecutionStore } from './execution-store';
import { HistoryBuilder, type EngineEvent } from './history';
import type { AslDefinition } from './asl-walker';
import { planJsonToString } from './json-to-string-fix';
import { buildTaskHandlers, type TaskAttempt, type TaskInvokers } from './task-resources';
import { planTaskTokens, type TaskTokenPlan } from './task-token-fix';
import { distributedMapHandler, planDistributedMaps, type DistributedMapPlan } from './distributed-map';
import { TaskTokenRegistry, type CallbackLimits } from './task-tokens';
import { TaskTokenStore } from './task-token-store';
import type { ExecutionFinished, ExecutionRecord, HistoryEvent } from './types';

/** How the local Step Functions service runs. */
export interface StepFunctionsOptions {
  dataDir: string;
  stateMachines: LocalStateMachine[];
  invokers: TaskInvokers;
  region: string;
  /** Executions running at once; the rest wait, shown as RUNNING. Default: os.cpus().length or LOCAL_CONCURRENCY. */
  concurrency?: number;
}

// AWS: 1-80 characters, none of whitespace, < > { } [ ] ? * " # % \ ^ | ~ ` $ & , ; : / or control characters
// (non-ASCII is allowed).
const NAME_RULE = /^[^\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]{1,80}$/u;
const MAX_INPUT_BYTES = 256 * 1024;
const TERMINAL = new Set(['SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED']);

interface Running {
  abort?: () => void;
  stopRequested?: { error?: string; cause?: string };
}

/**
 * The Step Functions API over the template's state machines: runs each execution's ASL with aws-local-stepfunctions,
 * keeps its history and status on disk, bounds concurrency, and redrives interrupted runs at start.
 * Emits `finished` with an ExecutionFinished after every run.
 */
export class StepFunctionsService extends EventEmitter {
  private readonly store: ExecutionStore;
  private readonly executions = new Map<string, ExecutionRecord>();
  private readonly running = new Map<string, Running>();
  private readonly queue: ExecutionRecord[] = [];
  private readonly idleWaiters: Array<() => void> = [];
  private active = 0;
  private readonly concurrency: number;
  private readonly engines = new Map<string, PreparedMachine>();
  /** The callback pattern's tokens: SendTaskSuccess, SendTaskFailure and SendTaskHeartbeat settle them. */
  readonly taskTokens = new TaskTokenRegistry();
  private readonly createdAt = Date.now();
  private closed = false;
  /** Rejects (ServiceClosedError) when close() runs; every task handler races it. */
  private readonly closing: Promise<never>;
  private rejectClosing!: (error: Error) => void;

  constructor(private readonly options: StepFunctionsOptions) {
    super();
    installPromiseWithResolvers();
    this.closing = new Promise<never>((_resolve, reject) => (this.rejectClosing = reject));
    this.closing.catch(() => undefined);
    this.store = new ExecutionStore(options.dataDir);
    this.concurrency = Math.max(1, options.concurrency ?? (Number(process.env.LOCAL_CONCURRENCY) || cpus().length));
    for (const record of this.store.loadAll()) this.executions.set(record.executionArn, record);
    // Tokens handed out before a restart stay usable: their runs are redriven (resumeInterrupted) and each old token
    // settles the same callback state of the redriven run.
    this.taskTokens.restore(new TaskTokenStore(options.dataDir), (arn) => this.executions.get(arn)?.status === 'RUNNING');
  }

  /** Executions that were running when the process stopped; `resumeInterrupted` runs them again. */
  interrupted(): ExecutionRecord[] {
    return [...this.executions.values()].filter((r) => r.status === 'RUNNING');
  }

  /** Redrives every interrupted execution from its start, under its own name, so no run is lost or duplicated. */
  resumeInterrupted(): number {
    const list = this.interrupted();
    for (const record of list) this.redriveRecord(record);
    return list.length;
  }

  /**
   * StartExecution: idempotent for a running execution with the same name and input, as in AWS.
   * @throws AwsServiceError InvalidName, InvalidExecutionInput, StateMachineDoesNotExist or ExecutionAlreadyExists.
   */
  startExecution(params: { stateMachineArn?: string; name?: string; input?: string }): { executionArn: string; startDate: number } {
    const machine = this.machine(params.stateMachineArn);
    const name = params.name ?? globalThis.crypto.randomUUID();
    if (!NAME_RULE.test(name)) throw sfnApiError('InvalidName', `Invalid Name: '${name}'`);
    const input = params.input ?? '{}';
    if (Buffer.byteLength(input) > MAX_INPUT_BYTES) throw sfnApiError('InvalidExecutionInput', 'Input exceeds the 262144-byte limit');
    try {
      JSON.parse(input);
    } catch {
      throw sfnApiError('InvalidExecutionInput', `Invalid State Machine Execution Input: '${input.slice(0, 100)}'`);
    }
    const executionArn = `${machine.arn.replace(':stateMachine:', ':execution:')}:${name}`;
    const existing = this.executions.get(executionArn);
    if (existing) {
      if (existing.status === 'RUNNING' && sameJson(existing.input, input)) return { executionArn, startDate: existing.startDate };
      throw sfnApiError('ExecutionAlreadyExists', `Execution Already Exists: '${executionArn}'`);
    }
    const record: ExecutionRecord = {
      executionArn,
      stateMachineArn: machine.arn,
      name,
      input,
      status: 'RUNNING',
      startDate: Date.now(),
      redriveCount: 0,
      history: [],
    };
    this.executions.set(executionArn, record);
    this.store.start(record);
    this.enqueue(record);
    return { executionArn, startDate: record.startDate };
  }

  /**
   * DescribeExecution.
   * @throws AwsServiceError ExecutionDoesNotExist.
   */
  describeExecution(params: { executionArn?: string }): Record<string, unknown> {
    const r = this.execution(params.executionArn);
    return {
      ...executionSummary(r),
      input: r.input,
      inputDetails: { included: true },
      output: r.output,
      outputDetails: r.output === undefined ? undefined : { included: true },
      error: r.error,
      cause: r.cause,
      redriveStatus: TERMINAL.has(r.status) && r.status !== 'SUCCEEDED' ? 'REDRIVABLE' : 'NOT_REDRIVABLE',
    };
  }

  /**
   * ListExecutions, newest first, with statusFilter and pagination.
   * @throws AwsServiceError StateMachineDoesNotExist or InvalidToken.
   */
  listExecutions(params: {
    stateMachineArn?: string;
    statusFilter?: string;
    maxResults?: number;
    nextToken?: string;
  }): Record<string, unknown> {
    const machine = this.machine(params.stateMachineArn);
    const all = [...this.executions.values()]
      .filter((r) => r.stateMachineArn === machine.arn && (!params.statusFilter || r.status === params.statusFilter))
      .sort((a, b) => b.startDate - a.startDate || b.name.localeCompare(a.name));
    const { page, nextToken } = paginate(all, params.maxResults, params.nextToken, 1000);
    return {
      executions: page.map(executionSummary),
      nextToken,
    };
  }

  /**
   * GetExecutionHistory in AWS's HistoryEvent shape.
   * @throws AwsServiceError ExecutionDoesNotExist or InvalidToken.
   */
  getExecutionHistory(params: {
    executionArn?: string;
    maxResults?: number;
    nextToken?: string;
    reverseOrder?: boolean;
    includeExecutionData?: boolean;
  }): Record<string, unknown> {
    const r = this.execution(params.executionArn);
    const events = params.reverseOrder ? [...r.history].reverse() : r.history;
    const { page, nextToken } = paginate(events, params.maxResults, params.nextToken, 1000);
    const withoutData = params.includeExecutionData === false;
    return { events: page.map((e) => (withoutData ? stripData(e) : e)), nextToken };
  }

  /**
   * StopExecution: aborts a running or waiting execution.
   * @throws AwsServiceError ExecutionDoesNotExist.
   */
  stopExecution(params: { executionArn?: string; error?: string; cause?: string }): { stopDate: number } {
    const r = this.execution(params.executionArn);
    if (r.status !== 'RUNNING') return { stopDate: r.stopDate ?? Date.now() };
    const queued = this.queue.indexOf(r);
    if (queued >= 0) {
      this.queue.splice(queued, 1);
      this.finish(r, 'ABORTED', { error: params.error, cause: params.cause });
      new HistoryBuilder(r.history, (e) => this.store.event(r, e)).add('ExecutionAborted', Date.now(), {
        error: params.error,
        cause: params.cause,
      });
      return { stopDate: r.stopDate as number };
    }
    const run = this.running.get(r.executionArn);
    if (run) {
      run.stopRequested = { error: params.error, cause: params.cause };
      run.abort?.();
    }
    return { stopDate: Date.now() };
  }

  /**
   * RedriveExecution: runs a FAILED, ABORTED or TIMED_OUT execution again. Unlike AWS, which resumes at the
   * failed state, local mode reruns the whole definition (the handlers are idempotent by revision).
   * @throws AwsServiceError ExecutionDoesNotExist or ExecutionNotRedrivable.
   */
  redriveExecution(params: { executionArn?: string }): { redriveDate: number } {
    const r = this.execution(params.executionArn);
    if (!TERMINAL.has(r.status) || r.status === 'SUCCEEDED') {
      throw sfnApiError('ExecutionNotRedrivable', `Execution ${r.executionArn} is ${r.status} and cannot be redriven`);
    }
    this.redriveRecord(r);
    return { redriveDate: r.redriveDate as number };
  }

  /**
   * DescribeStateMachine with the definition as deployed (substitutions applied).
   * @throws AwsServiceError StateMachineDoesNotExist.
   */
  describeStateMachine(params: { stateMachineArn?: string }): Record<string, unknown> {
    const m = this.machine(params.stateMachineArn);
    return {
      stateMachineArn: m.arn,
      name: m.name,
      status: 'ACTIVE',
      definition: JSON.stringify(m.definition, null, 2),
      roleArn: 'arn:aws:iam::000000000000:role/local',
      type: m.type,
      creationDate: this.createdAt,
      loggingConfiguration: { level: 'OFF', includeExecutionData: false },
      tracingConfiguration: { enabled: false },
    };
  }

  /**
   * DescribeStateMachineForExecution.
   * @throws AwsServiceError ExecutionDoesNotExist.
   */
  describeStateMachineForExecution(params: { executionArn?: string }): Record<string, unknown> {
    const r = this.execution(params.executionArn);
    const { status: _s, creationDate: _c, ...rest } = this.describeStateMachine({ stateMachineArn: r.stateMachineArn });
    return { ...rest, updateDate: this.createdAt };
  }

  /** ListStateMachines. */
  listStateMachines(params: { maxResults?: number; nextToken?: string }): Record<string, unknown> {
    const { page, nextToken } = paginate(this.options.stateMachines, params.maxResults, params.nextToken, 1000);
    return {
      stateMachines: page.map((m) => ({ stateMachineArn: m.arn, name: m.name, type: m.type, creationDate: this.createdAt })),
      nextToken,
    };
  }

  /** All executions known, for the stack's recovery scan and the console. */
  allExecutions(): ExecutionRecord[] {
    return [...this.executions.values()];
  }

  /** Whether no execution is running or waiting. */
  isIdle(): boolean {
    return this.active === 0 && this.queue.length === 0;
  }

  /** Resolves when no execution is running or waiting. */
  waitForIdle(): Promise<void> {
    if (this.active === 0 && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Aborts running executions without recording an end, as a crash would: they are redriven at the next start. */
  async close(): Promise<void> {
    this.closed = true;
    this.taskTokens.detach();
    // Aborting a run only stops the engine between states: a task waiting on a token or a child execution would keep
    // its run, and the engine's timers, alive. Ending every waiting task lets each run end now.
    this.rejectClosing(new ServiceClosedError());
    this.queue.length = 0;
    for (const run of this.running.values()) run.abort?.();
    this.running.clear();
    this.active = 0;
    this.notifyIdle();
  }

  private redriveRecord(r: ExecutionRecord): void {
    Object.assign(r, { status: 'RUNNING', stopDate: undefined, output: undefined, error: undefined, cause: undefined });
    r.redriveCount += 1;
    r.redriveDate = Date.now();
    this.store.redrive(r);
    new HistoryBuilder(r.history, (e) => this.store.event(r, e)).add('ExecutionRedriven', r.redriveDate, { redriveCount: r.redriveCount });
    this.enqueue(r);
  }

  private enqueue(record: ExecutionRecord): void {
    this.queue.push(record);
    this.pump();
  }

  private pump(): void {
    while (!this.closed && this.active < this.concurrency && this.queue.length > 0) {
      const next = this.queue.shift() as ExecutionRecord;
      this.active += 1;
      void this.run(next).finally(() => {
        if (this.closed) return;
        this.active -= 1;
        this.pump();
        this.notifyIdle();
      });
    }
  }

  private notifyIdle(): void {
    if (this.active === 0 && this.queue.length === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  private async run(record: ExecutionRecord): Promise<void> {
    const machine = this.machine(record.stateMachineArn);
    const { definition, plan, tokens, maps, engine } = this.engineFor(machine);
    const history = new HistoryBuilder(
      record.history,
      (e) => this.store.event(record, e),
      Object.fromEntries(Object.keys(maps).map((name) => [name, 'Map'])),
    );
    const taskExecution = { executionArn: record.executionArn, stateMachineArn: machine.arn };
    // An execution waiting for a task token (a review that may take days) gives its concurrency slot to the queue and
    // takes one back when the token settles, so waiting runs never stall new uploads; AWS has no such slots at all.
    const latestToken = new Map<string, string>();
    const parked = new Set<string>();
    // Likewise while it waits on child executions (startExecution.sync), however many at once.
    let childWaits = 0;
    const callbacks = {
      plan: tokens,
      issue: (state: string, limits?: Partial<CallbackLimits>) => {
        const issued = this.taskTokens.issue(record.executionArn, { ...tokens[state].limits, ...limits }, state);
        latestToken.set(state, issued.token);
        const unpark = () => {
          if (parked.delete(issued.token) && !this.closed) this.active += 1;
        };
        issued.result.then(unpark, unpark);
        return issued;
      },
      submitted: (state: string, attempt: TaskAttempt) => {
        history.recordSubmitted(attempt);
        const token = latestToken.get(state);
        if (token === undefined || this.closed || !this.taskTokens.isOpen(token)) return;
        parked.add(token);
        this.active -= 1;
        this.pump();
        this.notifyIdle();
      },
      // One slot per execution, however many of its Map children wait at once; the child it waits for is queued or
      // running meanwhile, so the service is never idle then (no notifyIdle).
      waitingOnChild: async <T>(wait: () => Promise<T>): Promise<T> => {
        if (this.closed) return wait();
        if (childWaits++ === 0) {
          this.active -= 1;
          this.pump();
        }
        try {
          return await wait();
        } finally {
          if (--childWaits === 0 && !this.closed) this.active += 1;
        }
      },
    };
    const handlers = buildTaskHandlers(
      definition,
      this.options.invokers,
      this.options.region,
      (state, attempt) => history.recordAttempt(state, attempt),
      plan,
      taskExecution,
      callbacks,
    );
    // A Map Run's children are executions of their own in AWS: their task attempts stay out of this history.
    const childHandlers = buildTaskHandlers(definition, this.options.invokers, this.options.region, () => undefined, plan, taskExecution, {
      ...callbacks,
      submitted: () => undefined,
    });
    const startTime = new Date(record.redriveDate ?? record.startDate).toISOString();
    const context = {
      Execution: {
        Id: record.executionArn,
        Input: JSON.parse(record.input),
        Name: record.name,
        RoleArn: 'arn:aws:iam::000000000000:role/local',
        StartTime: startTime,
        RedriveCount: record.redriveCount,
      },
      StateMachine: { Id: machine.arn, Name: machine.name },
    };
    const mapRun = {
      executionArn: record.executionArn,
      context,
      region: this.options.region,
      invokers: this.options.invokers,
      handlers: childHandlers,
      history: (type: string, details?: Record<string, unknown>) => history.add(type, Date.now(), details),
    };
    for (const [name, spec] of Object.entries(maps)) {
      handlers[name] = distributedMapHandler(name, spec, mapRun);
      childHandlers[name] = handlers[name];
    }
    for (const table of [handlers, childHandlers])
      for (const [name, handler] of Object.entries(table)) table[name] = (input) => Promise.race([handler(input), this.closing]);
    const control: Running = {};
    this.running.set(record.executionArn, control);
    const execution = engine.run(JSON.parse(record.input), {
      overrides: { taskResourceLocalHandlers: handlers as never },
      context: context as never,
    });
    control.abort = execution.abort;
    const logging = (async () => {
      for await (const event of execution.eventLogs) if (!this.closed) history.apply(event as EngineEvent);
    })();
    try {
      const output = await execution.result;
      await logging;
      this.finish(record, 'SUCCEEDED', { output: JSON.stringify(output) });
    } catch (err) {
      await logging.catch(() => undefined);
      if (this.closed) return;
      if (err instanceof ExecutionAbortedError) {
        this.finish(record, 'ABORTED', control.stopRequested ?? {});
      } else if (err instanceof ExecutionTimeoutError) {
        this.finish(record, 'TIMED_OUT', { error: 'States.Timeout' });
      } else {
        const last = [...record.history].reverse().find((e) => e.type === 'ExecutionFailed')?.executionFailedEventDetails as
          { error?: string; cause?: string } | undefined;
        const fallback =
          err instanceof ExecutionError
            ? { error: (err.cause as Error | undefined)?.name, cause: (err.cause as Error | undefined)?.message }
            : { error: 'States.Runtime', cause: String(err) };
        this.finish(record, 'FAILED', last ?? fallback);
      }
    } finally {
      this.running.delete(record.executionArn);
      // A run aborted by close() is redriven at the next start: its tokens stay open for it.
      if (!this.closed) this.taskTokens.closeExecution(record.executionArn);
    }
  }

  /**
   * The engine of a state machine, built once: the constructor validates the ASL (~0.3 s of main-thread CPU for the
   * pipeline's definition, blocking the edge meanwhile), and `run` keeps all per-execution state apart, so one serves all.
   */
  private engineFor(machine: LocalStateMachine): PreparedMachine {
    let cached = this.engines.get(machine.arn);
    if (!cached) {
      const stringified = planJsonToString(machine.definition as unknown as AslDefinition);
      const { definition, tokens } = planTaskTokens(stringified.definition);
      // Task handlers come from `definition` (item processors included); the engine runs Distributed Maps as local Tasks.
      const distributed = planDistributedMaps(definition);
      cached = {
        definition,
        plan: stringified.plan,
        tokens,
        maps: distributed.maps,
        engine: new StateMachine(distributed.definition as never, { validationOptions: { checkArn: false, checkPaths: true } }),
      };
      this.engines.set(machine.arn, cached);
    }
    return cached;
  }

  private finish(
    record: ExecutionRecord,
    status: ExecutionRecord['status'],
    details: { output?: string; error?: string; cause?: string },
  ): void {
    if (this.closed) return;
    Object.assign(record, { status, stopDate: Date.now(), ...details });
    this.store.end(record);
    const notice: ExecutionFinished = { executionArn: record.executionArn, status };
    this.emit('finished', notice);
  }

  private machine(arn: string | undefined): LocalStateMachine {
    if (!arn) throw sfnApiError('ValidationException', 'stateMachineArn is required');
    const machine = this.options.stateMachines.find((m) => m.arn === arn);
    if (!machine) {
      if (!/^arn:aws[\w-]*:states:[\w-]+:\d{12}:stateMachine:[\w-]+(:\w+)?$/.test(arn))
        throw sfnApiError('InvalidArn', `Invalid Arn: '${arn}'`);
      throw sfnApiError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`);
    }
    return machine;
  }

  private execution(arn: string | undefined): ExecutionRecord {
    if (!arn) throw sfnApiError('ValidationException', 'executionArn is required');
    const record = this.executions.get(arn);
    if (!record) {
      if (!/^arn:aws[\w-]*:states:[\w-]+:\d{12}:execution:/.test(arn)) throw sfnApiError('InvalidArn', `Invalid Arn: '${arn}'`);
      throw sfnApiError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`);
    }
    return record;
  }
}

/** A definition as the engine runs it, with the plans of the rewrites the local task handlers complete. */
type PreparedMachine = ReturnType<typeof planJsonToString<AslDefinition>> & {
  tokens: TaskTokenPlan;
  maps: DistributedMapPlan;
  engine: StateMachine;
};

/** The fields DescribeExecution and ListExecutions both return for an execution. */
function executionSummary(r: ExecutionRecord): Record<string, unknown> {
  return {
    executionArn: r.executionArn,
    stateMachineArn: r.stateMachineArn,
    name: r.name,
    status: r.status,
    startDate: r.startDate,
    stopDate: r.stopDate,
    redriveCount: r.redriveCount,
    redriveDate: r.redriveDate,
  };
}

function sameJson(a: string, b: string): boolean {
  try {
    return JSON.stringify(JSON.parse(a)) === JSON.stringify(JSON.parse(b));
  } catch {
    return a === b;
  }
}

function paginate<T>(
  items: readonly T[],
  maxResults: number | undefined,
  nextToken: string | undefined,
  cap: number,
): { page: T[]; nextToken?: string } {
  let start = 0;
  if (nextToken) {
    start = Number(Buffer.from(nextToken, 'base64url').toString());
    if (!Number.isInteger(start) || start < 0) throw sfnApiError('InvalidToken', `Invalid Token: '${nextToken}'`);
  }
  const size = Math.min(maxResults && maxResults > 0 ? maxResults : 100, cap);
  const page = items.slice(start, start + size);
  const end = start + page.length;
  return { page, nextToken: end < items.length ? Buffer.from(String(end)).toString('base64url') : undefined };
}

function stripData(event: HistoryEvent): HistoryEvent {
  const copy: HistoryEvent = { ...event };
  for (const [key, value] of Object.entries(copy)) {
    if (key.endsWith('EventDetails') && value && typeof value === 'object') {
      const { input: _i, output: _o, parameters: _p, ...rest } = value as Record<string, unknown>;
      copy[key] = rest;
    }
  }
  return copy;
}
