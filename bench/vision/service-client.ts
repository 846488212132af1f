import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { peakRssMb } from '../lib/memory';
import { descendantPids } from '../lib/process-tree';

/** What bench:vision's quality and memory passes need from the service: one Rekognition call. */
export interface VisionEndpoint {
  handle(target: string, body: string): Promise<{ status: number; body: string }>;
}

function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return '';
  }
}

/**
 * The vision service in its own process (service-process.ts), reached over HTTP like the SDK reaches it in local
 * mode. `pid` is the service process; its children are the workers.
 */
export class ServiceProcess implements VisionEndpoint {
  private constructor(
    private readonly child: ChildProcess,
    private readonly url: string,
  ) {}

  /**
   * Forks the service with `workers` workers and resolves once its models are loaded.
   * @throws Error when the service exits before it is ready
   */
  static async start(dataDir: string, workers: number): Promise<ServiceProcess> {
    const child = fork(join(__dirname, 'service-process.ts'), [dataDir, String(workers)], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const url = await new Promise<string>((resolve, reject) => {
      child.once('message', (message: { url: string }) => resolve(message.url));
      child.once('exit', (code) => reject(new Error(`the vision service process exited (${code}) before it was ready`)));
    });
    return new ServiceProcess(child, url);
  }

  get pid(): number {
    return this.child.pid as number;
  }

  /** The vision workers (the service's children running the worker bundle). */
  workerPids(): number[] {
    return descendantPids(this.pid).filter((pid) => commandLine(pid).includes('vision-worker'));
  }

  async handle(target: string, body: string): Promise<{ status: number; body: string }> {
    const response = await fetch(this.url, {
      method: 'POST',
      headers: { 'x-amz-target': target, 'content-type': 'application/x-amz-json-1.1' },
      body,
    });
    return { status: response.status, body: await response.text() };
  }

  /**
   * Peak RSS of the service process and of every process under it, in MB: the vision workers and any helper a
   * user's service would run too (esbuild's service, which bundles the worker from TypeScript sources).
   */
  peakRss(): { service: number; children: Array<{ name: string; mb: number }> } {
    return {
      service: peakRssMb(this.pid) ?? NaN,
      children: descendantPids(this.pid).map((pid) => ({
        name: commandLine(pid).includes('vision-worker') ? 'worker' : basename(commandLine(pid).split('\0')[0]),
        mb: peakRssMb(pid) ?? NaN,
      })),
    };
  }

  async close(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.disconnect();
    await exited;
  }
}
