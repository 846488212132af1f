import { ERROR_NAMES, PipelineError } from '@smart-image-pipeline/contracts';
import type { Context } from 'aws-lambda';
import { createPowertools, recordImageFailed, recordRekognitionCalls, withHandler, type Powertools } from '../../src';

class RefusedError extends PipelineError {
  override readonly name = ERROR_NAMES.unsupportedImageType;
}

const context = {
  functionName: 'resize',
  awsRequestId: 'req-1',
  invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:resize',
  memoryLimitInMB: '512',
  functionVersion: '$LATEST',
} as unknown as Context;

/** Runs `act` with stdout and stderr captured and returns every JSON line written (Powertools logs and EMF alike). */
async function capture(act: () => Promise<unknown>): Promise<Array<Record<string, unknown>>> {
  const lines: string[] = [];
  const record = (chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  };
  const writes = [
    jest.spyOn(process.stdout, 'write').mockImplementation(record),
    jest.spyOn(process.stderr, 'write').mockImplementation(record),
  ];
  try {
    await act().catch(() => undefined);
  } finally {
    for (const write of writes) write.mockRestore();
  }
  return lines
    .flatMap((line) => line.split('\n'))
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

function tools(): Powertools {
  process.env.POWERTOOLS_SERVICE_NAME = 'resize-image';
  process.env.POWERTOOLS_METRICS_NAMESPACE = 'test-stack';
  process.env.POWERTOOLS_LOG_LEVEL = 'INFO';
  return createPowertools();
}

const emf = (lines: Array<Record<string, unknown>>) => lines.filter((line) => '_aws' in line);

describe('withHandler', () => {
  const savedEnv = { ...process.env };
  afterEach(() => {
    process.env = { ...savedEnv };
  });

  it('puts the Lambda context and the image keys on the log lines of one invocation, and only that one', async () => {
    // Prepare
    const kit = tools();
    const handler = withHandler(kit, {
      parse: (event) => event as { imageId: string; key: string },
      logKeys: (input) => ({ imageId: input.imageId, bucket: 'uploads', key: input.key, executionArn: undefined }),
      run: async (input, { logger }) => {
        logger.info('done');
        return input.imageId;
      },
    });

    // Act
    const first = await capture(() => handler({ imageId: 'a'.repeat(32), key: 'uploads/a.jpg' }, context));
    const second = await capture(() =>
      withHandler(kit, { parse: () => null, run: async (_input, { logger }) => logger.info('other') })(null),
    );

    // Assess
    expect(first.find((line) => line.message === 'done')).toMatchObject({
      imageId: 'a'.repeat(32),
      bucket: 'uploads',
      key: 'uploads/a.jpg',
      function_request_id: 'req-1',
      function_name: 'resize',
    });
    expect(first.find((line) => line.message === 'done')).not.toHaveProperty('executionArn');
    expect(second.find((line) => line.message === 'other')).not.toHaveProperty('imageId');
  });

  it('flushes the business metrics as EMF, with a dimension per failure reason and per API', async () => {
    // Prepare
    const handler = withHandler(tools(), {
      parse: () => null,
      run: async (_input, { metrics }) => {
        recordImageFailed(metrics, 'CorruptImageError');
        recordRekognitionCalls(metrics, ['DetectLabels', 'DetectFaces']);
      },
    });

    // Act
    const lines = await capture(() => handler({}, context));

    // Assess
    const metrics = emf(lines);
    expect(metrics.find((line) => line.ImagesFailed === 1)).toMatchObject({ reason: 'CorruptImageError', service: 'resize-image' });
    expect(metrics.filter((line) => line.RekognitionCalls === 1).map((line) => line.api)).toEqual(['DetectLabels', 'DetectFaces']);
    expect(
      metrics.every(
        (line) => (line._aws as { CloudWatchMetrics: Array<{ Namespace: string }> }).CloudWatchMetrics[0].Namespace === 'test-stack',
      ),
    ).toBe(true);
  });

  it('logs a named refusal at WARN and anything else at ERROR, and rethrows both', async () => {
    // Prepare
    const refuse = withHandler(tools(), {
      parse: () => {
        throw new RefusedError('not an image');
      },
      run: async () => undefined,
    });
    const crash = withHandler(tools(), {
      parse: () => null,
      run: async () => {
        throw new TypeError('bug');
      },
    });

    // Act
    const refused = await capture(() => refuse({}));
    const crashed = await capture(() => crash({}));

    // Assess
    await expect(refuse({})).rejects.toBeInstanceOf(RefusedError);
    expect(refused.find((line) => line.message === 'Invocation refused')).toMatchObject({
      level: 'WARN',
      error: 'UnsupportedImageTypeError',
      reason: 'not an image',
    });
    expect(crashed.find((line) => line.message === 'Invocation failed')).toMatchObject({
      level: 'ERROR',
      error: 'TypeError',
      reason: 'bug',
    });
  });

  it('times a step: its own duration goes on the result as durationMs and out as the StepDuration metric', async () => {
    // Prepare
    const kit = tools();
    const timed = withHandler(kit, {
      step: 'resize',
      parse: (event) => event as { wait: number },
      run: async (input) => {
        await new Promise((resolve) => setTimeout(resolve, input.wait));
        return { variants: 3 };
      },
    });
    const untimed = withHandler(kit, {
      step: (input: { action: string }) => (input.action === 'store' ? 'store' : undefined),
      parse: (event) => event as { action: string },
      run: async () => ({ written: true }),
    });
    let result: unknown;

    // Act
    const lines = await capture(async () => {
      result = await timed({ wait: 30 });
    });
    const skipped = await untimed({ action: 'recordFailure' });
    const skippedLines = await capture(() => untimed({ action: 'recordFailure' }));

    // Assess
    expect(result).toEqual({ variants: 3, durationMs: expect.any(Number) });
    expect((result as { durationMs: number }).durationMs).toBeGreaterThanOrEqual(25);
    expect(emf(lines)).toEqual([expect.objectContaining({ step: 'resize', StepDuration: (result as { durationMs: number }).durationMs })]);
    expect(skipped).toEqual({ written: true });
    expect(emf(skippedLines)).toEqual([]);
  });
});
