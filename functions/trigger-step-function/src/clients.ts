import { SFNClient } from '@aws-sdk/client-sfn';
import { createPowertools } from '@smart-image-pipeline/lambda-kit';

/** Logger, tracer (off outside Lambda) and EMF metrics; service name and level come from POWERTOOLS_* variables. */
export const powertools = createPowertools();

/**
 * Step Functions client, created once per cold start. No endpoint is set here: the SDK reads
 * AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_SFN itself, which is how local mode reaches its emulator.
 */
export const sfn = powertools.tracer.captureAWSv3Client(new SFNClient({}));
