import type { ApiDeps } from '../api-deps';
import { readJsonObject } from '../http/json-body';
import { QueryReader } from '../http/query-reader';
import { created, ok } from '../http/responses';
import type { Router } from '../http/router';
import { presignUpload } from '../uploads/presigned-upload';
import { parseUploadRequest } from '../uploads/upload-request';

/** The caller, the upload limits, and POST /uploads: a presigned POST straight to the uploads bucket. */
export function registerUploadRoutes(router: Router, deps: ApiDeps): void {
  router.on('GET', '/me', async ({ request, caller }) => {
    new QueryReader(request.query, []);
    return ok({ sub: caller.sub, username: caller.username, groups: caller.groups, isAdmin: caller.isAdmin });
  });

  router.on('GET', '/config', async ({ request }) => {
    new QueryReader(request.query, []);
    return ok({ maxUploadBytes: deps.limits.maxBytes, contentTypes: deps.limits.contentTypes });
  });

  router.on('POST', '/uploads', async ({ request, caller }) => {
    new QueryReader(request.query, []);
    const upload = parseUploadRequest(readJsonObject(request), deps.limits);
    return created(await presignUpload(deps.s3, deps.resources.uploadsBucket, caller.sub, upload, deps.limits, deps.uuid(), deps.now()));
  });
}
