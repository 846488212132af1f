/**
 * Child of the video section: loads one video step's real handler module (ProbeVideo or ComposeVideoThumbnails) in a
 * fresh process, as a Lambda cold start would, and invokes it `runs` times with the state machine's payload. Its S3
 * calls go to the bench's local S3 over HTTP (AWS_ENDPOINT_URL), so S3's own work runs in the parent and is not counted
 * here, as on Lambda. CPU time is process.cpuUsage() (every thread: sharp's libvips pool included).
 *
 * Args: <handler module path> <payload JSON file> <runs> <result file>.
 */
import { readFile, writeFile } from 'node:fs/promises';

/** One invocation's wall and CPU time, in ms. */
export interface StepRun {
  wallMs: number;
  cpuMs: number;
}

/** What the child writes: the import time, each invocation's times (the first is the cold one) and the last result. */
export interface StepChildResult {
  importMs: number;
  runs: StepRun[];
  output: unknown;
}

type Handler = (event: unknown, context: unknown) => Promise<unknown>;

const ms = (micros: number) => micros / 1000;

async function main(): Promise<void> {
  const [modulePath, payloadFile, runsArg, resultFile] = process.argv.slice(2);
  const payload: unknown = JSON.parse(await readFile(payloadFile, 'utf8'));
  const imported = performance.now();
  const { handler } = (await import(modulePath)) as { handler: Handler };
  const importMs = performance.now() - imported;
  const context = { functionName: 'bench', awsRequestId: 'bench', getRemainingTimeInMillis: () => 900_000 };
  const runs: StepRun[] = [];
  let output: unknown;
  for (let run = 0; run < Number(runsArg); run += 1) {
    const cpu = process.cpuUsage();
    const started = performance.now();
    output = await handler(payload, { ...context, awsRequestId: `bench-${run}` });
    const wallMs = performance.now() - started;
    const used = process.cpuUsage(cpu);
    runs.push({ wallMs, cpuMs: ms(used.user + used.system) });
  }
  const result: StepChildResult = { importMs, runs, output };
  await writeFile(resultFile, JSON.stringify(result));
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
