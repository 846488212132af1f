/**
 * Distributed Map for the local engine. aws-local-stepfunctions 3.0.0 runs every Map inline: it ignores
 * ProcessorConfig, ItemReader, ItemBatcher, ToleratedFailure* and ResultWriter. This module rewrites each
 * `ProcessorConfig.Mode: DISTRIBUTED` Map into a Task state (keeping InputPath, ResultSelector, ResultPath, OutputPath,
 * Retry, Catch, Next/End, which mean the same there) whose local handler runs the Map Run: items from the input or
 * from the local S3, batches, child runs of the item processor at MaxConcurrency, the tolerated-failure threshold,
 * and the ResultWriter files in AWS's layout.
 */

import { randomUUID } from 'node:crypto';
import { StateMachine } from 'aws-local-stepfunctions';
import { eachState, type AslDefinition, type AslStates } from './asl-walker';
import { TaskFailedError } from './errors';
import { MAX_LOCAL_WAIT_SECONDS } from './task-token-fix';
import type { TaskInvokers } from './task-resources';

/** The Distributed Map fields the local handler runs, per (rewritten) Map state name. */
export type DistributedMapPlan = Record<string, DistributedMapSpec>;

interface DistributedMapSpec {
  processor: AslDefinition;
  itemsPath?: string;
  itemSelector?: Record<string, unknown>;
  itemReader?: { Resource: string; Parameters?: Record<string, unknown>; ReaderConfig?: ReaderConfig };
  itemBatcher?: { MaxItemsPerBatch?: number; BatchInput?: Record<string, unknown> };
  maxConcurrency?: number;
  /** MaxConcurrencyPath: the limit read from the state input (a non-negative integer; 0 = no limit, as on AWS). */
  maxConcurrencyPath?: string;
  toleratedFailureCount?: number;
  toleratedFailurePercentage?: number;
  resultWriter?: { Resource?: string; Parameters?: Record<string, unknown> };
}

interface ReaderConfig {
  InputType?: 'JSON' | 'CSV' | 'JSONL';
  CSVHeaderLocation?: 'FIRST_ROW' | 'GIVEN';
  CSVHeaders?: string[];
  CSVDelimiter?: keyof typeof CSV_DELIMITERS;
  MaxItems?: number;
}

/** Where a Map Run reports to: the execution it belongs to and its history. */
export interface MapRunContext {
  executionArn: string;
  /** The parent execution's Context object: ItemSelector may read `$$.Execution.*` and `$$.StateMachine.*`. */
  context?: Record<string, unknown>;
  region: string;
  invokers: TaskInvokers;
  /** The Task handlers of the whole definition, item processors included. */
  handlers: Record<string, (input: unknown) => Promise<unknown>>;
  history(type: string, details?: Record<string, unknown>): void;
}

/** The local engine's inline Map default; a Distributed Map with no MaxConcurrency runs at most this many children at once. */
export const LOCAL_DEFAULT_MAX_CONCURRENCY = 40;
const LOCAL_RESOURCE = 'arn:aws:states:::local:distributedMap';
const KEPT_FIELDS = ['Comment', 'InputPath', 'ResultSelector', 'ResultPath', 'OutputPath', 'Retry', 'Catch', 'Next', 'End'];

/** Returns a copy of the definition with each Distributed Map turned into a local Task, and their specs. */
export function planDistributedMaps<D extends AslStates>(definition: D): { definition: D; maps: DistributedMapPlan } {
  const maps: DistributedMapPlan = {};
  const copy = JSON.parse(JSON.stringify(definition)) as D;
  for (const [name, state] of [...eachState(copy)]) {
    const processor = state.ItemProcessor as (AslDefinition & { ProcessorConfig?: { Mode?: string } }) | undefined;
    if (state.Type !== 'Map' || processor?.ProcessorConfig?.Mode !== 'DISTRIBUTED') continue;
    const { ProcessorConfig: _config, ...processorStates } = processor;
    maps[name] = {
      processor: processorStates,
      itemsPath: state.ItemsPath as string | undefined,
      itemSelector: (state.ItemSelector ?? state.Parameters) as Record<string, unknown> | undefined,
      itemReader: state.ItemReader as DistributedMapSpec['itemReader'],
      itemBatcher: state.ItemBatcher as DistributedMapSpec['itemBatcher'],
      maxConcurrency: state.MaxConcurrency as number | undefined,
      maxConcurrencyPath: state.MaxConcurrencyPath as string | undefined,
      toleratedFailureCount: state.ToleratedFailureCount as number | undefined,
      toleratedFailurePercentage: state.ToleratedFailurePercentage as number | undefined,
      resultWriter: state.ResultWriter as DistributedMapSpec['resultWriter'],
    };
    for (const key of Object.keys(state)) if (!KEPT_FIELDS.includes(key)) delete state[key];
    // A Map state has no timeout of its own on AWS; the local Task it becomes would get the engine's 60-second default.
    Object.assign(state, { Type: 'Task', Resource: LOCAL_RESOURCE, TimeoutSeconds: MAX_LOCAL_WAIT_SECONDS });
  }
  return { definition: copy, maps };
}

interface ChildResult {
  input: unknown;
  name: string;
  startDate: number;
  stopDate: number;
  itemCount: number;
  output?: unknown;
  error?: string;
  cause?: string;
}

/** Builds the local handler of one Distributed Map state. */
export function distributedMapHandler(
  stateName: string,
  spec: DistributedMapSpec,
  run: MapRunContext,
): (input: unknown) => Promise<unknown> {
  const processor = new StateMachine(spec.processor as never, { validationOptions: { noValidate: true } });
  return async (input) => {
    const [, partition, , region, account, , machineName] = run.executionArn.split(':');
    const mapRunId = randomUUID();
    const mapRunArn = `arn:${partition}:states:${region}:${account}:mapRun:${machineName}/${stateName}:${mapRunId}`;
    const childArnPrefix = `arn:${partition}:states:${region}:${account}:execution:${machineName}/${stateName}:`;
    // Deferred a turn, so the engine's MapStateEntered (dispatched in this tick, applied asynchronously) comes first.
    let started = false;
    const start = () => {
      if (!started) run.history('MapRunStarted', { mapRunArn });
      started = true;
    };
    setImmediate(start);
    try {
      const output = await runMap();
      start();
      run.history('MapRunSucceeded');
      return output;
    } catch (err) {
      start();
      const failure = err instanceof TaskFailedError ? err : new TaskFailedError('States.Runtime', (err as Error).message);
      run.history('MapRunFailed', { error: failure.name, cause: failure.message });
      throw failure;
    }

    async function runMap(): Promise<unknown> {
      const items = spec.itemReader ? await readItems(spec.itemReader, input, run.invokers) : await itemsAt(spec.itemsPath, input);
      const selected = spec.itemSelector
        ? await Promise.all(
            items.map((item, index) =>
              evaluate(spec.itemSelector as object, input, { ...run.context, Map: { Item: { Index: index, Value: item } } }),
            ),
          )
        : items;
      const children = batch(selected, spec.itemBatcher);
      const results: Array<ChildResult | undefined> = new Array(children.length);
      let failedItems = 0;
      let exceeded = false;
      const exceeds = () =>
        failedItems > (spec.toleratedFailureCount ?? (spec.toleratedFailurePercentage === undefined ? 0 : Infinity)) ||
        (spec.toleratedFailurePercentage !== undefined &&
          (failedItems / Math.max(1, items.length)) * 100 > spec.toleratedFailurePercentage);

      let next = 0;
      const worker = async () => {
        while (!exceeded && next < children.length) {
          const index = next++;
          const child = children[index];
          const result: ChildResult = {
            input: child.input,
            name: randomUUID(),
            startDate: Date.now(),
            stopDate: 0,
            itemCount: child.itemCount,
          };
          try {
            result.output = await processor.run(child.input as never, { overrides: { taskResourceLocalHandlers: run.handlers as never } })
              .result;
          } catch (err) {
            const cause = (err as { cause?: Error }).cause ?? (err as Error);
            result.error = cause.name;
            result.cause = cause.message;
            failedItems += child.itemCount;
            if (exceeds()) exceeded = true;
          }
          result.stopDate = Date.now();
          results[index] = result;
        }
      };
      const concurrency =
        (spec.maxConcurrencyPath ? await concurrencyAt(spec.maxConcurrencyPath, input) : spec.maxConcurrency) ||
        LOCAL_DEFAULT_MAX_CONCURRENCY;
      await Promise.all(Array.from({ length: Math.min(concurrency, children.length) }, worker));

      const output = spec.resultWriter?.Parameters
        ? {
            MapRunArn: mapRunArn,
            ResultWriterDetails: await writeResults(
              spec.resultWriter.Parameters,
              input,
              mapRunArn,
              mapRunId,
              childArnPrefix,
              children,
              results,
              run,
            ),
          }
        : results.map((r) => r?.output);
      if (exceeded) {
        throw new TaskFailedError(
          'States.ExceedToleratedFailureThreshold',
          `The specified tolerated failure threshold was exceeded: ${failedItems} of ${items.length} items failed`,
        );
      }
      return output;
    }
  };
}

async function itemsAt(itemsPath: string | undefined, input: unknown): Promise<unknown[]> {
  const items = itemsPath && itemsPath !== '$' ? await evaluateInputPath(itemsPath, input) : input;
  if (!Array.isArray(items))
    throw new TaskFailedError('States.Runtime', 'The items of a Distributed Map must be a JSON array (ItemsPath or ItemReader)');
  return items;
}

async function readItems(
  reader: NonNullable<DistributedMapSpec['itemReader']>,
  input: unknown,
  invokers: TaskInvokers,
): Promise<unknown[]> {
  if (!/:s3:getObject$/.test(reader.Resource))
    throw new TaskFailedError(
      'States.ItemReaderFailed',
      `Local mode reads Distributed Map items with s3:getObject only, not ${reader.Resource}`,
    );
  const params = (await evaluate(reader.Parameters ?? {}, input)) as { Bucket: string; Key: string; VersionId?: string };
  let text: string;
  try {
    const object = await invokers.callSdk('s3', 'getObject', params);
    text = await (object.Body as { transformToString(): Promise<string> }).transformToString();
  } catch (err) {
    throw new TaskFailedError('States.ItemReaderFailed', `Could not read s3://${params.Bucket}/${params.Key}: ${(err as Error).message}`);
  }
  const config = reader.ReaderConfig ?? {};
  const items = parseItems(text, config, `s3://${params.Bucket}/${params.Key}`);
  return config.MaxItems ? items.slice(0, config.MaxItems) : items;
}

/** Parses an ItemReader object: a JSON array, JSON Lines, or CSV (header in the first row or given). */
export function parseItems(text: string, config: ReaderConfig, where: string): unknown[] {
  const type = config.InputType ?? 'JSON';
  try {
    if (type === 'JSONL')
      return text
        .split(/\r?\n/)
        .filter((line) => line.trim())
        .map((line) => JSON.parse(line) as unknown);
    if (type === 'CSV') {
      const rows = parseCsv(text, CSV_DELIMITERS[config.CSVDelimiter ?? 'COMMA'] ?? ',');
      const headers = config.CSVHeaderLocation === 'GIVEN' ? (config.CSVHeaders ?? []) : (rows.shift() ?? []);
      return rows.map((row) => Object.fromEntries(headers.map((h, i) => [h, row[i] ?? ''])));
    }
    const items = JSON.parse(text) as unknown;
    if (Array.isArray(items)) return items;
  } catch (err) {
    throw new TaskFailedError('States.ItemReaderFailed', `${where} is not valid ${type}: ${(err as Error).message}`);
  }
  throw new TaskFailedError('States.ItemReaderFailed', `${where} does not hold a JSON array`);
}

const CSV_DELIMITERS = { COMMA: ',', PIPE: '|', SEMICOLON: ';', SPACE: ' ', TAB: '\t' } as const;

function parseCsv(text: string, delimiter: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const endField = () => {
    row.push(field);
    field = '';
  };
  const endRow = () => {
    endField();
    rows.push(row);
    row = [];
  };
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (quoted && c === '"' && text[i + 1] === '"') {
      field += '"';
      i += 1;
    } else if (c === '"') {
      quoted = !quoted;
    } else if (quoted) {
      field += c;
    } else if (c === delimiter) {
      endField();
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i += 1;
      endRow();
    } else {
      field += c;
    }
  }
  if (field || row.length) endRow();
  return rows.filter((r) => r.length > 1 || r[0] !== '');
}

function batch(items: unknown[], batcher: DistributedMapSpec['itemBatcher']): Array<{ input: unknown; itemCount: number }> {
  if (!batcher?.MaxItemsPerBatch) return items.map((item) => ({ input: item, itemCount: 1 }));
  const batches: Array<{ input: unknown; itemCount: number }> = [];
  for (let i = 0; i < items.length; i += batcher.MaxItemsPerBatch) {
    const slice = items.slice(i, i + batcher.MaxItemsPerBatch);
    batches.push({ input: { ...(batcher.BatchInput ? { BatchInput: batcher.BatchInput } : {}), Items: slice }, itemCount: slice.length });
  }
  return batches;
}

/** Writes `<Prefix>/<map run id>/{SUCCEEDED,FAILED,PENDING}_0.json` and `manifest.json`, as a Map Run's ResultWriter does. */
async function writeResults(
  parameters: Record<string, unknown>,
  input: unknown,
  mapRunArn: string,
  mapRunId: string,
  childArnPrefix: string,
  children: Array<{ input: unknown }>,
  results: Array<ChildResult | undefined>,
  run: MapRunContext,
): Promise<{ Bucket: string; Key: string }> {
  const { Bucket, Prefix } = (await evaluate(parameters, input)) as { Bucket: string; Prefix?: string };
  const base = `${Prefix ? `${Prefix.replace(/\/$/, '')}/` : ''}${mapRunId}`;
  const machineArn = childArnPrefix.replace(':execution:', ':stateMachine:').replace(/:$/, '');
  const entry = (r: ChildResult) => ({
    ExecutionArn: `${childArnPrefix}${r.name}`,
    Input: JSON.stringify(r.input),
    InputDetails: { Included: true },
    Name: r.name,
    ...(r.error === undefined
      ? { Output: JSON.stringify(r.output ?? null), OutputDetails: { Included: true } }
      : { Error: r.error, Cause: r.cause }),
    StartDate: new Date(r.startDate).toISOString(),
    StateMachineArn: machineArn,
    Status: r.error === undefined ? 'SUCCEEDED' : 'FAILED',
    StopDate: new Date(r.stopDate).toISOString(),
  });
  const groups: Record<'SUCCEEDED' | 'FAILED' | 'PENDING', unknown[]> = { SUCCEEDED: [], FAILED: [], PENDING: [] };
  children.forEach((child, i) => {
    const r = results[i];
    if (!r) groups.PENDING.push({ Input: JSON.stringify(child.input), InputDetails: { Included: true } });
    else groups[r.error === undefined ? 'SUCCEEDED' : 'FAILED'].push(entry(r));
  });
  const resultFiles: Record<string, Array<{ Key: string; Size: number }>> = { FAILED: [], PENDING: [], SUCCEEDED: [] };
  try {
    for (const [status, list] of Object.entries(groups)) {
      if (!list.length) continue;
      const Key = `${base}/${status}_0.json`;
      const Body = JSON.stringify(list);
      await run.invokers.callSdk('s3', 'putObject', { Bucket, Key, Body, ContentType: 'application/json' });
      resultFiles[status].push({ Key, Size: Buffer.byteLength(Body) });
    }
    const Key = `${base}/manifest.json`;
    await run.invokers.callSdk('s3', 'putObject', {
      Bucket,
      Key,
      Body: JSON.stringify({ DestinationBucket: Bucket, MapRunArn: mapRunArn, ResultFiles: resultFiles }),
      ContentType: 'application/json',
    });
    return { Bucket, Key };
  } catch (err) {
    throw new TaskFailedError(
      'States.ResultWriterFailed',
      `Could not write the Map Run results to s3://${Bucket}/${base}: ${(err as Error).message}`,
    );
  }
}

/** Evaluates a Parameters-style template (`.$` paths, intrinsics) with the engine itself, through a Pass state. */
async function evaluate(template: object, input: unknown, context: Record<string, unknown> = {}): Promise<unknown> {
  const pass = new StateMachine({ StartAt: 'P', States: { P: { Type: 'Pass', Parameters: template, End: true } } } as never, {
    validationOptions: { noValidate: true },
  });
  return pass.run(input as never, { context: context as never }).result;
}

async function evaluateInputPath(path: string, input: unknown): Promise<unknown> {
  const pass = new StateMachine({ StartAt: 'P', States: { P: { Type: 'Pass', InputPath: path, End: true } } } as never, {
    validationOptions: { noValidate: true },
  });
  return pass.run(input as never).result;
}

/** The MaxConcurrencyPath value: a non-negative integer, else the state fails as AWS fails it (States.Runtime). */
async function concurrencyAt(path: string, input: unknown): Promise<number> {
  const value = await evaluateInputPath(path, input).catch(() => undefined);
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new TaskFailedError(
      'States.Runtime',
      `MaxConcurrencyPath ${path} must point at a non-negative integer (got ${JSON.stringify(value)})`,
    );
  }
  return value;
}
