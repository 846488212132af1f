import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { ListStateMachinesCommand, SFNClient } from '@aws-sdk/client-sfn';
import { isAlive } from '../services/dynamodb/folder-lock';
import { loadLocalApp, parseParameterOverrides } from '../template';

const REPO_ROOT = resolve(__dirname, '..', '..');

/** A local stack holds the data folder but none answers where it was looked for; nothing was started. */
export class UnreachableStackError extends Error {
  override readonly name = 'UnreachableStackError';
}

/** The process holding the data folder (the DynamoDB lock a running stack takes), if it is alive. */
export function stackHoldingDataDir(dataDir: string): number | undefined {
  let pid: number;
  try {
    pid = Number(readFileSync(join(dataDir, 'dynamodb.lock'), 'utf8'));
  } catch {
    return undefined;
  }
  return Number.isInteger(pid) && pid > 0 && isAlive(pid) ? pid : undefined;
}

/** The reprocess state machine's ARN as local mode names it (template.yaml, samconfig.toml). */
export function localReprocessArn(): string {
  const app = loadLocalApp({
    rootDir: REPO_ROOT,
    parameterOverrides: parseParameterOverrides(process.env.LOCAL_PARAMETER_OVERRIDES ?? ''),
  });
  const machine = app.stateMachines.find((m) => m.logicalId === 'ReprocessStateMachine');
  if (!machine) throw new Error('template.yaml has no ReprocessStateMachine');
  return machine.arn;
}

/**
 * Clients of a running local stack's edge, checked first: the edge must answer ListStateMachines and list this
 * template's reprocess state machine (so the run is the same ASL with the same input as in-process).
 * @throws UnreachableStackError when nothing answers there, or something that is not this stack.
 */
export async function runningStackClients(
  endpoint: string,
  holder: number | undefined,
): Promise<{ sfn: SFNClient; s3: S3Client; stateMachineArn: string }> {
  const stateMachineArn = localReprocessArn();
  const options = { endpoint, region: stateMachineArn.split(':')[3], credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };
  const sfn = new SFNClient({ ...options, maxAttempts: 1 });
  const held = holder ? `the data folder is in use by process ${holder} (a local stack), but ` : '';
  try {
    const listed = await sfn.send(new ListStateMachinesCommand({}), { abortSignal: AbortSignal.timeout(5000) });
    if (!(listed.stateMachines ?? []).some((m) => m.stateMachineArn === stateMachineArn))
      throw new UnreachableStackError(`${held}the stack at ${endpoint} has no ${stateMachineArn}; pass the right --endpoint`);
  } catch (error) {
    sfn.destroy();
    if (error instanceof UnreachableStackError) throw error;
    throw new UnreachableStackError(
      `${held}no local stack answers at ${endpoint} (${(error as Error).message}); pass --endpoint <the edge URL npm start printed> ` +
        `or set EDGE_PORT${holder ? `, or stop process ${holder}` : ''}`,
    );
  }
  return { sfn, s3: new S3Client({ ...options, forcePathStyle: true }), stateMachineArn };
}
