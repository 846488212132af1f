import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { isObject } from '@smart-image-pipeline/contracts';
import { AwsServiceError } from '../../edge/aws-error';
import { restJsonProtocol } from '../../edge/protocols/rest-json';
import { JsonRecordFolder } from '../json-record-folder';
import type { EdgeRequest, EdgeResponse, EdgeService } from '../../edge/types';
import { planJob } from './job-settings';
import { runTranscode, type TranscodeStorage } from './transcoder';
import { fromWire, toWire } from './wire-case';

/** MediaConvert's REST-JSON protocol; its errors are BadRequestException, NotFoundException, … */
const MEDIACONVERT_JSON = restJsonProtocol({ invalidBodyCode: 'BadRequestException', internalErrorCode: 'InternalServerErrorException' });

/** A job as GetJob returns it (PascalCase, the API reference's names). */
export interface LocalJob {
  Id: string;
  Arn: string;
  Status: 'SUBMITTED' | 'PROGRESSING' | 'COMPLETE' | 'ERROR' | 'CANCELED';
  Role: string;
  Settings: Record<string, unknown>;
  UserMetadata: Record<string, string>;
  Queue: string;
  CreatedAt: number;
  Timing: { SubmitTime: number; StartTime?: number; FinishTime?: number };
  JobPercentComplete?: number;
  OutputGroupDetails?: Array<{ OutputDetails: Array<{ DurationInMs: number; VideoDetails?: { WidthInPx: number; HeightInPx: number } }> }>;
  ErrorCode?: number;
  ErrorMessage?: string;
}

/** The local MediaConvert: the edge service plus the job list. */
export interface LocalMediaConvertService extends EdgeService {
  getJob(id: string): LocalJob | undefined;
  /** Resolves when every submitted job has finished and is on disk. */
  drain(): Promise<void>;
}

const isLocalJob = (value: unknown): value is LocalJob =>
  isObject(value) && typeof value.Id === 'string' && typeof value.Status === 'string' && isObject(value.Timing);

/** The code of a job the local stack stopped in the middle of (the local stack's own; MediaConvert has no such case). */
export const INTERRUPTED_JOB_ERROR_CODE = 1999;

/**
 * Serves MediaConvert's CreateJob (POST /2017-08-29/jobs) and GetJob (GET /2017-08-29/jobs/{id}) over REST-JSON,
 * transcoding with ffmpeg into the local S3 store. Jobs run one at a time (ffmpeg uses every core) and are kept under
 * `<dataDir>/mediaconvert/jobs/`, so GetJob answers after a restart too. A job that was SUBMITTED or PROGRESSING when
 * the process stopped reads ERROR (code 1999, "The local stack stopped while the job ran") rather than running again:
 * the local Step Functions redrives the interrupted execution, whose TranscodeVideo creates a new job (CreateJob has
 * no idempotency token here), so rerunning the old one would only transcode the same video twice.
 */
export function createMediaConvertService(options: {
  dataDir: string;
  region: string;
  accountId: string;
  storage: TranscodeStorage;
  /** Where a job file that cannot be read or written is reported (default stderr). */
  warn?: (message: string) => void;
}): LocalMediaConvertService {
  const warn = options.warn ?? ((message: string) => process.stderr.write(`local MediaConvert: ${message}\n`));
  const folder = new JsonRecordFolder<LocalJob>(join(options.dataDir, 'mediaconvert', 'jobs'), isLocalJob);
  const jobs = new Map<string, LocalJob>();
  const loaded = folder.load();
  for (const file of loaded.skipped) warn(`skipped ${file}: not a readable job file`);
  const save = (job: LocalJob) =>
    folder.save(job.Id, job).catch((error: unknown) => warn(`job ${job.Id} could not be saved: ${(error as Error).message}`));
  for (const job of loaded.records) {
    if (job.Status === 'SUBMITTED' || job.Status === 'PROGRESSING') {
      Object.assign(job, {
        Status: 'ERROR',
        ErrorCode: INTERRUPTED_JOB_ERROR_CODE,
        ErrorMessage: 'The local stack stopped while the job ran',
      });
      job.Timing = { ...job.Timing, FinishTime: Date.now() / 1000 };
      void save(job);
    }
    jobs.set(job.Id, job);
  }
  let queue: Promise<void> = Promise.resolve();

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a CreateJob wire request; Role is checked here, Settings by planJob
  const createJob = async (body: Record<string, any>): Promise<LocalJob> => {
    if (typeof body.Role !== 'string' || !body.Role.startsWith('arn:'))
      throw new AwsServiceError('BadRequestException', 400, 'Role must be an IAM role ARN');
    const plan = planJob(body.Settings);
    const now = Date.now() / 1000;
    const id = `${Date.now()}-${randomBytes(3).toString('hex')}`;
    const job: LocalJob = {
      Id: id,
      Arn: `arn:aws:mediaconvert:${options.region}:${options.accountId}:jobs/${id}`,
      Status: 'SUBMITTED',
      Role: body.Role,
      Settings: body.Settings,
      UserMetadata: body.UserMetadata ?? {},
      Queue: `arn:aws:mediaconvert:${options.region}:${options.accountId}:queues/Default`,
      CreatedAt: now,
      Timing: { SubmitTime: now },
    };
    jobs.set(id, job);
    // On disk before the Id is answered: a job the caller knows of reads ERROR after a crash, never NotFound.
    await save(job);
    queue = queue.then(async () => {
      Object.assign(job, { Status: 'PROGRESSING', JobPercentComplete: 0, Timing: { ...job.Timing, StartTime: Date.now() / 1000 } });
      void save(job);
      try {
        const result = await runTranscode(plan, options.storage);
        job.OutputGroupDetails = [
          {
            OutputDetails: result.outputs.map((o) => ({
              DurationInMs: result.durationMs,
              ...(o.width && o.height ? { VideoDetails: { WidthInPx: o.width, HeightInPx: o.height } } : {}),
            })),
          },
        ];
        Object.assign(job, { Status: 'COMPLETE', JobPercentComplete: 100 });
      } catch (error) {
        // 1010: MediaConvert's code for an input it cannot read.
        Object.assign(job, { Status: 'ERROR', ErrorCode: 1010, ErrorMessage: `Local transcode failed: ${(error as Error).message}` });
      }
      job.Timing = { ...job.Timing, FinishTime: Date.now() / 1000 };
      await save(job);
    });
    return job;
  };

  return {
    name: 'mediaconvert',
    protocol: MEDIACONVERT_JSON,
    matches: (req) => req.signingService === 'mediaconvert',
    handle: async (req: EdgeRequest): Promise<EdgeResponse> => {
      const path = req.url.pathname.replace(/\/+$/, '');
      if (req.method === 'POST' && path === '/2017-08-29/jobs') {
        const job = await createJob(fromWire(MEDIACONVERT_JSON.parseBody(req)) as Parameters<typeof createJob>[0]);
        return MEDIACONVERT_JSON.ok(toWire({ Job: job }), 201);
      }
      const match = /^\/2017-08-29\/jobs\/([^/]+)$/.exec(path);
      if (req.method === 'GET' && match) {
        const job = jobs.get(decodeURIComponent(match[1]));
        if (!job) throw new AwsServiceError('NotFoundException', 404, `Job ${match[1]} does not exist`);
        return MEDIACONVERT_JSON.ok(toWire({ Job: job }));
      }
      throw new AwsServiceError('NotFoundException', 404, `Local MediaConvert implements CreateJob and GetJob, not ${req.method} ${path}`);
    },
    getJob: (id) => jobs.get(id),
    drain: async () => {
      let last: Promise<void> | undefined;
      while (last !== queue) {
        last = queue;
        await queue;
      }
      await folder.flushed();
    },
  };
}
