import { GetObjectCommand } from '@aws-sdk/client-s3';
import { DescribeExecutionCommand, ListExecutionsCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import {
  checkPipelineConfig,
  countReprocessResults,
  DEFAULT_VARIANT_WIDTHS,
  InvalidReprocessRequestError,
  parseReprocessRequest,
} from '@smart-image-pipeline/contracts';
import type { ApiDeps } from '../api-deps';
import { HttpError, badRequest, notFound } from '../http/http-error';
import { readJsonObject } from '../http/json-body';
import { QueryReader } from '../http/query-reader';
import { created, ok } from '../http/responses';
import type { Router } from '../http/router';

/** An execution name as Step Functions allows it (1-80 characters; the API's and the CLI's names are plain ASCII). */
const RUN_NAME = /^[0-9A-Za-z_-]{1,80}$/;
/**
 * How long the status route reads result files, and how many at once: every file the results manifest lists is read
 * unless this runs out (ApiFunction's timeout is 15 s), and then the counts say `complete: false`.
 */
const RESULT_READ_MS = 9_000;
const RESULT_READ_CONCURRENCY = 8;

/** The versions the PipelineConfig parameter holds now (an unreadable config answers 503: reprocessing would fail too). */
async function configuredVersions(deps: ApiDeps): Promise<string[]> {
  return [...(await pipelineConfig(deps)).versions.keys()];
}

async function pipelineConfig(deps: ApiDeps) {
  const raw = await deps.reprocess!.pipelineConfig();
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw ?? '');
  } catch {
    throw new HttpError(503, 'InvalidConfig', 'The PipelineConfig parameter is not JSON; fix it before reprocessing.');
  }
  const checked = checkPipelineConfig(parsed, DEFAULT_VARIANT_WIDTHS);
  if (checked.problems)
    throw new HttpError(503, 'InvalidConfig', `The PipelineConfig parameter is invalid: ${checked.problems.join('; ')}`);
  return checked.config;
}

function reprocessDeps(deps: ApiDeps): NonNullable<ApiDeps['reprocess']> {
  if (!deps.reprocess) throw new HttpError(503, 'NotConfigured', 'This deployment has no reprocess state machine.');
  return deps.reprocess;
}

/** The execution ARN of a run of the reprocess state machine, from its name. */
function runArn(stateMachineArn: string, name: string): string {
  return `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
}

/** A run's request, as its execution input holds it (null when the input is not the shape POST writes). */
function runRequest(input: string | undefined): { version?: string; where?: string; maxConcurrency?: number } | null {
  try {
    const parsed = JSON.parse(input ?? '') as unknown;
    return parsed && typeof parsed === 'object' ? (parsed as { version?: string; where?: string; maxConcurrency?: number }) : null;
  } catch {
    return null;
  }
}

/**
 * Admins only (docs/reprocessing.md): GET /admin/reprocess lists the config's versions and the latest runs;
 * POST /admin/reprocess `{ version, where, maxConcurrency? }` starts the reprocess state machine (a bad request or a
 * version the config does not hold is a 400 and starts nothing); GET /admin/reprocess/{name} is one run's status and,
 * once it ended, what its results manifest counts.
 */
export function registerReprocessRoutes(router: Router, deps: ApiDeps): void {
  router.on(
    'POST',
    '/admin/reprocess',
    async ({ request, caller }) => {
      new QueryReader(request.query, []);
      const reprocess = reprocessDeps(deps);
      const body = readJsonObject(request);
      let parsed;
      try {
        parsed = parseReprocessRequest(body);
      } catch (error) {
        if (error instanceof InvalidReprocessRequestError) throw badRequest(error.message);
        throw error;
      }
      const versions = await configuredVersions(deps);
      if (!versions.includes(parsed.version))
        throw new HttpError(
          400,
          'UnknownPipelineVersion',
          `Pipeline version "${parsed.version}" is not in the config (it holds ${versions.join(', ')}).`,
        );
      const name = `reprocess-${parsed.version}-${deps.uuid()}`;
      const input = { version: parsed.version, where: body.where, maxConcurrency: parsed.maxConcurrency };
      const started = await deps.sfn.send(
        new StartExecutionCommand({ stateMachineArn: reprocess.stateMachineArn, name, input: JSON.stringify(input) }),
      );
      deps.logger.info('Reprocess started', { name, version: parsed.version, where: body.where, by: caller.sub });
      return created({ name, arn: started.executionArn, startDate: started.startDate?.toISOString() ?? null, request: input });
    },
    'admin',
  );
  router.on(
    'GET',
    '/admin/reprocess',
    async ({ request }) => {
      new QueryReader(request.query, []);
      const reprocess = reprocessDeps(deps);
      const config = await pipelineConfig(deps);
      const listed = await deps.sfn.send(new ListExecutionsCommand({ stateMachineArn: reprocess.stateMachineArn, maxResults: 10 }));
      return ok({
        current: config.current,
        versions: [...config.versions.keys()],
        runs: (listed.executions ?? []).map((run) => ({
          name: run.name,
          status: run.status,
          startDate: run.startDate?.toISOString() ?? null,
          stopDate: run.stopDate?.toISOString() ?? null,
        })),
      });
    },
    'admin',
  );

  router.on(
    'GET',
    '/admin/reprocess/{name}',
    async ({ request, params }) => {
      new QueryReader(request.query, []);
      const reprocess = reprocessDeps(deps);
      if (!RUN_NAME.test(params.name))
        throw badRequest('A run name is 1-80 letters, digits, "-" or "_" (the name POST /admin/reprocess returned).');
      let run;
      try {
        run = await deps.sfn.send(new DescribeExecutionCommand({ executionArn: runArn(reprocess.stateMachineArn, params.name) }));
      } catch (error) {
        if ((error as Error).name === 'ExecutionDoesNotExist') throw notFound(`No reprocess run named ${params.name}.`);
        throw error;
      }
      // Only the stack's own results bucket is read, whatever the output names.
      const read = async (bucket: string, key: string) => {
        if (bucket !== deps.resources.processedBucket)
          throw new HttpError(502, 'UnexpectedResults', `The run's results are in ${bucket}, not this stack's bucket.`);
        const object = await deps.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        return JSON.parse(await object.Body!.transformToString()) as unknown;
      };
      const ended = run.status !== 'RUNNING';
      return ok({
        name: params.name,
        status: run.status,
        startDate: run.startDate?.toISOString() ?? null,
        stopDate: run.stopDate?.toISOString() ?? null,
        request: runRequest(run.input),
        error: run.error ? { name: run.error, cause: run.cause ?? '' } : null,
        // The counts exist once the run has ended (the execution output and the Map Run's result files).
        counts: ended
          ? await countReprocessResults(run.output ? JSON.parse(run.output) : {}, read, {
              concurrency: RESULT_READ_CONCURRENCY,
              deadline: deps.now().getTime() + RESULT_READ_MS,
              now: () => deps.now().getTime(),
            })
          : null,
      });
    },
    'admin',
  );
}
