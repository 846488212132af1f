import { relative } from 'node:path';
import { consoleOrigins as originsOf } from '../edge/cors';
import { startLocalStack, type LocalStack } from '../stack';
import { parseCommandLine, printedHelp } from './command-line';
import { portTakenHint } from './local-ports';

type ConsoleModule = {
  startConsoleServer(options: {
    port?: number;
    edgeUrl: string;
    webApp: { apiUrl: string; region: string; userPoolId: string; userPoolClientId: string; authDomainUrl: string };
    outbox?: unknown;
    events?: unknown;
  }): Promise<{ url: string; close(): Promise<void> }>;
};

const USAGE = `Usage: npm start [-- --quiet] [--help]
Starts the local stack (edge on EDGE_PORT, data in LOCAL_DATA_DIR) and the console until Ctrl-C.
--quiet keeps function logs in <data>/logs only. Exit code 2 when the stack cannot start.`;

/**
 * `npm start`: the stack on EDGE_PORT (default 4566) with LOCAL_DATA_DIR (default .local), plus the console when
 * console/ provides startConsoleServer; runs until Ctrl-C. `--quiet` keeps function logs in <dataDir>/logs only.
 * @returns the exit code (only on a start-up failure).
 */
export async function runStart(argv: readonly string[]): Promise<number> {
  const parsed = parseCommandLine('start', USAGE, { args: [...argv], options: { quiet: { type: 'boolean' }, help: { type: 'boolean' } } });
  if (!parsed) return 2;
  if (printedHelp(parsed.values, USAGE)) return 0;
  const quiet = parsed.values.quiet === true;
  const consolePort = Number(process.env.CONSOLE_PORT ?? 3000);
  // The edge reads this array on every request, so the console's real port can join it once known (CONSOLE_PORT=0).
  const consoleOrigins = originsOf(consolePort);
  let stack: LocalStack;
  try {
    stack = await startLocalStack({
      allowedOrigins: consoleOrigins,
      onLog: quiet ? undefined : (id, line) => process.stderr.write(`[${id}] ${line}\n`),
    });
  } catch (err) {
    process.stderr.write(`start: ${portTakenHint(err) ?? (err as Error).message}\n`);
    return 2;
  }
  let consoleUrl: string;
  let consoleServer: { close(): Promise<void> } | undefined;
  try {
    if (!stack.webApp) throw new Error('the template declares no web app (user pool and HTTP API)');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const consoleModule = require('../../console/server') as ConsoleModule;
    const server = await consoleModule.startConsoleServer({
      port: consolePort,
      edgeUrl: stack.edgeUrl,
      webApp: stack.webApp,
      outbox: stack.services.notifications.outbox,
      events: stack.services.eventing.events,
    });
    consoleServer = server;
    consoleUrl = server.url;
    consoleOrigins.push(...originsOf(Number(new URL(server.url).port)).filter((origin) => !consoleOrigins.includes(origin)));
  } catch (err) {
    const hint = portTakenHint(err);
    if (hint) process.stderr.write(`start: the console did not start: ${hint}\n`);
    consoleUrl = `(not started: ${hint?.split('\n')[0] ?? (err as Error).message.split('\n')[0]})`;
  }
  process.stdout.write(banner(stack, consoleUrl, quiet));
  const stop = async () => {
    process.stdout.write('\nStopping (running executions are redriven at the next start)...\n');
    await consoleServer?.close();
    await stack.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
  return new Promise<number>(() => undefined);
}

function banner(stack: LocalStack, consoleUrl: string, quiet: boolean): string {
  const r = stack.resources;
  const dataDir = shortPath(stack.dataDir);
  const recovered =
    stack.recovered.executions + stack.recovered.uploads > 0
      ? `\n  Recovered:      ${stack.recovered.executions} interrupted execution(s) redriven, ${stack.recovered.uploads} upload(s) delivered again`
      : '';
  const web = stack.webApp;
  const webLines = web
    ? `
  API:            ${web.apiUrl}   (ApiFunction behind the local HTTP API; needs a user pool access token)
  User pool:      ${web.userPoolId} at ${web.authDomainUrl}
  Signed in as:   ${web.defaultUser.email} (admins), without a prompt; its password is in ${shortPath(web.defaultUser.passwordFile)}
  Another user:   npm run users -- create --email someone@example.com --password '<12+ chars, upper, lower, digit, symbol>'`
    : '';
  return `
Smart Image Pipeline: local mode is running
  Edge endpoint:  ${stack.edgeUrl}   (S3, DynamoDB, Step Functions, Rekognition, SNS, SES v2, SSM, Lambda, Cognito admin API)
  Console:        ${consoleUrl}${webLines}
  Data folder:    ${dataDir}   (objects, table, executions, users, outbox, logs)${recovered}
  Uploads bucket: ${r.uploadsBucket}
  State machine:  ${r.stateMachineArn}

${uploadHelp(stack)}
Watch the runs (or open the console's Runs page):
  aws --endpoint-url ${stack.edgeUrl} stepfunctions list-executions --state-machine-arn ${r.stateMachineArn}
${quiet ? '' : `Function logs follow (JSON lines; \`npm start -- --quiet\` keeps them in ${dataDir}/logs only).\n`}Press Ctrl-C to stop.
`;
}

/** A path relative to the working directory when it is inside it, else absolute (never `../../..`). */
function shortPath(path: string): string {
  const shown = relative(process.cwd(), path);
  return !shown || shown.startsWith('..') ? path : shown;
}

/**
 * How to upload with the AWS CLI. The key names the default user's sub (`uploads/<sub>/`), as the console's own
 * uploads do, so the image is theirs and shows in their gallery; a key without a sub is nobody's (admins only).
 */
function uploadHelp(stack: LocalStack): string {
  const folder = stack.webApp ? `uploads/${stack.webApp.defaultUser.sub}/` : 'uploads/';
  const owner = stack.webApp
    ? ` as ${stack.webApp.defaultUser.email}, into its folder so that it shows in the console's gallery
(an object straight under uploads/ is nobody's: only admins see it, under Gallery > Whose: Everyone's)`
    : '';
  return `Upload an image or a video${owner}.
The AWS CLI needs some credentials and a region; any values work:
  export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=${stack.app.pseudo.region}
  aws --endpoint-url ${stack.edgeUrl} s3 cp photo.jpg s3://${stack.resources.uploadsBucket}/${folder}`;
}

if (require.main === module) {
  runStart(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err) => {
      process.stderr.write(`${(err as Error).stack}\n`);
      process.exit(2);
    },
  );
}
