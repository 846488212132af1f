import { SFNClient } from '@aws-sdk/client-sfn';
import { Logger } from '@aws-lambda-powertools/logger';
import { Tracer } from '@aws-lambda-powertools/tracer';

/** Structured JSON logger; service name and level come from POWERTOOLS_* variables. */
export const logger = new Logger();

/** X-Ray tracer; disabled automatically outside Lambda. */
export const tracer = new Tracer();

/**
 * Step Functions client, created once per cold start. No endpoint is set here: the SDK reads
 * AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_SFN itself, which is how local mode reaches its emulator.
 */
export const sfn = tracer.captureAWSv3Client(new SFNClient({}));
