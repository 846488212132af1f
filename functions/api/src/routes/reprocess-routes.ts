import { StartExecutionCommand } from '@aws-sdk/client-sfn';
import {
  checkPipelineConfig,
  DEFAULT_VARIANT_WIDTHS,
  InvalidReprocessRequestError,
  parseReprocessRequest,
} from '@smart-image-pipeline/contracts';
import type { ApiDeps } from '../api-deps';
import { HttpError, badRequest } from '../http/http-error';
import { readJsonObject } from '../http/json-body';
import { QueryReader } from '../http/query-reader';
import { created } from '../http/responses';
import type { Router } from '../http/router';

/** The versions the PipelineConfig parameter holds now (an unreadable config answers 503: reprocessing would fail too). */
async function configuredVersions(deps: ApiDeps): Promise<string[]> {
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
  return [...checked.config.versions.keys()];
}

/**
 * Admins only: POST /admin/reprocess `{ version, where, maxConcurrency? }` starts the reprocess state machine
 * (docs/reprocessing.md). A bad request or a version the config does not hold is a 400 and starts nothing.
 */
export function registerReprocessRoutes(router: Router, deps: ApiDeps): void {
  router.on(
    'POST',
    '/admin/reprocess',
    async ({ request, caller }) => {
      new QueryReader(request.query, []);
      if (!deps.reprocess) throw new HttpError(503, 'NotConfigured', 'This deployment has no reprocess state machine.');
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
        new StartExecutionCommand({ stateMachineArn: deps.reprocess.stateMachineArn, name, input: JSON.stringify(input) }),
      );
      deps.logger.info('Reprocess started', { name, version: parsed.version, where: body.where, by: caller.sub });
      return created({ name, arn: started.executionArn, startDate: started.startDate?.toISOString() ?? null, request: input });
    },
    'admin',
  );
}
