import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';

/** The AWS CLI, where this machine has one; the tests that drive it are skipped where it has none. */
export const AWS_CLI = ['/root/.pyenv/shims/aws', '/usr/local/bin/aws', '/usr/bin/aws'].find((path) => existsSync(path));

const run = promisify(execFile);

/**
 * Returns a runner of the AWS CLI against a local edge: test credentials (the edge does not check them), us-east-1,
 * and no config or credentials file of the user's, so nothing on the machine changes what the CLI sends.
 */
export function awsCliAt(edgeUrl: string, extraEnv: Record<string, string> = {}) {
  if (!AWS_CLI) throw new Error('no AWS CLI on this machine');
  const env = {
    ...process.env,
    AWS_ACCESS_KEY_ID: 'x',
    AWS_SECRET_ACCESS_KEY: 'y',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    ...extraEnv,
  };
  return (...args: string[]) => run(AWS_CLI, ['--endpoint-url', edgeUrl, ...args], { env, maxBuffer: 1 << 24 });
}
