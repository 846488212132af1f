import fc from 'fast-check';
import { ExecutionAlreadyExists, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { StartExecutionFailedError } from '../../src/errors';
import { parseS3Event } from '../../src/s3-event';
import { executionArnFor } from '@smart-image-pipeline/contracts';
import { startExecutions, type StartExecutionsDeps } from '../../src/start-executions';
import type { ExecutionInput } from '../../src/types';
import { loadEvent, loadTriggerEvent } from './support/events';
import { RecordingLogger } from './support/recording-logger';

const STATE_MACHINE_ARN = 'arn:aws:states:eu-west-1:123456789012:stateMachine:ImagePipeline';
/** The uploads bucket the sample events in events/trigger-step-function name. */
const EVENTS_BUCKET = 'smart-image-pipeline-uploads-123456789012';
const sfnMock = mockClient(SFNClient);

function recordsOf(name: string) {
  const parsed = parseS3Event(loadTriggerEvent(name));
  if (!parsed.ok) throw parsed.error;
  return parsed;
}

function deps(logger = new RecordingLogger()): StartExecutionsDeps {
  return {
    sfn: new SFNClient({ region: 'eu-west-1' }),
    stateMachineArn: STATE_MACHINE_ARN,
    uploadsPrefix: 'uploads/',
    uploadsBucketName: EVENTS_BUCKET,
    logger,
  };
}

function sentInputs(): { name: string; input: ExecutionInput }[] {
  return sfnMock.commandCalls(StartExecutionCommand).map((call) => ({
    name: call.args[0].input.name ?? '',
    input: JSON.parse(call.args[0].input.input ?? 'null') as ExecutionInput,
  }));
}

function alreadyExists(): ExecutionAlreadyExists {
  return new ExecutionAlreadyExists({ message: 'Execution Already Exists', $metadata: {} });
}

function throttled(): Error {
  return Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
}

beforeEach(() => {
  sfnMock.reset();
  sfnMock.on(StartExecutionCommand).callsFake((input: { name: string }) => ({
    executionArn: executionArnFor(STATE_MACHINE_ARN, input.name),
    startDate: new Date('2026-11-25T12:00:01.000Z'),
  }));
});

describe('startExecutions', () => {
  it('starts one execution with the contract input and name for a plain upload', async () => {
    // Act
    const summary = await startExecutions(recordsOf('s3-put'), deps());

    // Assess
    const [sent] = sentInputs();
    expect(sfnMock.commandCalls(StartExecutionCommand)[0]?.args[0].input.stateMachineArn).toBe(STATE_MACHINE_ARN);
    expect(sent?.name).toBe(`img-${sent?.input.imageId}-${sent?.input.revision}`);
    expect(sent?.input).toEqual({
      imageId: expect.stringMatching(/^[0-9a-f]{32}$/),
      revision: expect.stringMatching(/^[0-9a-f]{16}$/),
      owner: 'unowned',
      source: {
        bucket: 'smart-image-pipeline-uploads-123456789012',
        key: 'uploads/holiday/beach.jpg',
        versionId: 'Q7f2lhBq0h8.Hn6Xo3vW1yJ9tq5m2RcZ',
        size: 137611,
        eTag: 'a5f2b0a1a8c3e1d4f7b6c9d0e2f4a6b8',
        sequencer: '0065A1B2C3D4E5F601',
        sourceOrder: '000000000000000065A1B2C3D4E5F601',
      },
      receivedAt: '2026-11-25T12:00:00.000Z',
    });
    expect(summary).toEqual({
      started: 1,
      duplicates: 0,
      skipped: 0,
      executions: [
        {
          imageId: sent?.input.imageId,
          revision: sent?.input.revision,
          executionName: sent?.name,
          executionArn: executionArnFor(STATE_MACHINE_ARN, sent?.name ?? ''),
          duplicate: false,
        },
      ],
    });
  });

  it('produces the input that the StoreMetadata sample state starts from', async () => {
    // Prepare: events/store-metadata/success.json is the state after this very upload.
    const state = loadEvent<Record<string, unknown>>('store-metadata', 'success');

    // Act
    await startExecutions(recordsOf('s3-put'), deps());

    // Assess
    const [sent] = sentInputs();
    expect({
      imageId: state.imageId,
      revision: state.revision,
      owner: state.owner,
      source: state.source,
      receivedAt: state.receivedAt,
    }).toEqual(sent?.input);
  });

  it('names the uploader as owner when the key is under a Cognito sub, and nobody otherwise', async () => {
    // Prepare
    const sub = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
    const event = recordsOf('s3-put');
    const withKey = (key: string) => ({ ...event, records: event.records.map((record) => ({ ...record, encodedKey: key })) });

    // Act
    await startExecutions(withKey(`uploads/${sub}/0f8fad5b-d9cb-469f-a165-70867728950e-cat.jpg`), deps());
    await startExecutions(withKey(`uploads/${sub.toUpperCase()}/cat.jpg`), deps());
    await startExecutions(withKey('uploads/cat.jpg'), deps());

    // Assess
    expect(sentInputs().map((sent) => sent?.input.owner)).toEqual([sub, 'unowned', 'unowned']);
  });

  it('decodes a key with spaces, plus signs, parentheses and Unicode before naming the image', async () => {
    // Act
    await startExecutions(recordsOf('s3-put-special-key'), deps());

    // Assess
    expect(sentInputs()[0]?.input.source.key).toBe('uploads/Summer 2026/a b+c (1) Ünïcødé 写真 😀.jpg');
  });

  it('counts ExecutionAlreadyExists from a redelivered event as a duplicate, not an error', async () => {
    // Prepare
    sfnMock.on(StartExecutionCommand).rejects(alreadyExists());

    // Act
    const summary = await startExecutions(recordsOf('s3-put'), deps());

    // Assess
    expect(summary).toMatchObject({ started: 0, duplicates: 1, skipped: 0 });
    expect(summary.failed).toBeUndefined();
    expect(summary.executions[0]).toMatchObject({
      duplicate: true,
      executionArn: expect.stringContaining(':execution:ImagePipeline:img-'),
    });
  });

  it('sends identical name and input for a redelivery, so Step Functions treats it as the same execution', async () => {
    // Act
    await startExecutions(recordsOf('s3-put'), deps());
    await startExecutions(recordsOf('s3-put'), deps());

    // Assess
    const [first, second] = sentInputs();
    expect(second).toEqual(first);
  });

  it('counts the same record twice in one event once started and once duplicate', async () => {
    // Act
    const summary = await startExecutions(recordsOf('s3-put-duplicate'), deps());

    // Assess
    expect(summary).toMatchObject({ started: 1, duplicates: 1, skipped: 0 });
    expect(sfnMock.commandCalls(StartExecutionCommand)).toHaveLength(1);
  });

  it('skips keys outside the uploads prefix without starting anything', async () => {
    // Prepare
    const logger = new RecordingLogger();

    // Act
    const summary = await startExecutions(recordsOf('s3-put-outside-prefix'), deps(logger));

    // Assess
    expect(summary).toMatchObject({ started: 0, duplicates: 0, skipped: 1 });
    expect(sfnMock.commandCalls(StartExecutionCommand)).toHaveLength(0);
    expect(logger.entries[0]?.attributes).toMatchObject({ key: 'exports/report.jpg', reason: 'outside-prefix' });
  });

  it('skips folder markers', async () => {
    // Prepare
    const logger = new RecordingLogger();

    // Act
    const summary = await startExecutions(recordsOf('s3-folder-marker'), deps(logger));

    // Assess
    expect(summary).toMatchObject({ started: 0, skipped: 1 });
    expect(logger.entries[0]?.attributes).toMatchObject({ key: 'uploads/new folder/', reason: 'folder-marker' });
  });

  it('starts every record of a multi-record event that is inside the prefix', async () => {
    // Act
    const summary = await startExecutions(recordsOf('s3-multiple-records'), deps());

    // Assess
    expect(summary).toMatchObject({ started: 2, duplicates: 0, skipped: 1 });
    expect(sentInputs().map((s) => s.input.source.key)).toEqual(['uploads/batch/flowers.jpeg', 'uploads/batch/group-1.jpg']);
    expect(new Set(sentInputs().map((s) => s.name)).size).toBe(2);
  });

  it('reports a malformed key as a failed record and still starts the others', async () => {
    // Prepare
    const event = loadTriggerEvent<{ Records: { s3: { object: { key: string } } }[] }>('s3-multiple-records');
    event.Records[0]!.s3.object.key = 'uploads/100%.jpg';
    const parsed = parseS3Event(event);
    if (!parsed.ok) throw parsed.error;

    // Act
    const summary = await startExecutions(parsed, deps());

    // Assess
    expect(summary.started).toBe(1);
    expect(summary.failed).toEqual([
      {
        bucket: 'smart-image-pipeline-uploads-123456789012',
        key: 'uploads/100%.jpg',
        error: 'MalformedObjectKeyError',
        message: expect.stringContaining('100%'),
      },
    ]);
  });

  it('throws StartExecutionFailedError after trying every record when StartExecution is throttled', async () => {
    // Prepare: the first record is throttled, the second starts.
    sfnMock.on(StartExecutionCommand).rejectsOnce(throttled()).resolves({ executionArn: 'arn:x', startDate: new Date() });

    // Act
    const run = startExecutions(recordsOf('s3-multiple-records'), deps());

    // Assess
    await expect(run).rejects.toBeInstanceOf(StartExecutionFailedError);
    await expect(run).rejects.toMatchObject({
      failedKeys: ['uploads/batch/flowers.jpeg'],
      message: expect.stringContaining('ThrottlingException'),
    });
    expect(sfnMock.commandCalls(StartExecutionCommand)).toHaveLength(2);
  });

  it('counts the records started before a retry as duplicates on the retry', async () => {
    // Prepare: first invocation is throttled on record 1; the retry finds record 2 already started.
    sfnMock
      .on(StartExecutionCommand)
      .rejectsOnce(throttled())
      .resolvesOnce({ executionArn: 'arn:x', startDate: new Date() })
      .resolvesOnce({ executionArn: 'arn:y', startDate: new Date() })
      .rejectsOnce(alreadyExists());
    await startExecutions(recordsOf('s3-multiple-records'), deps()).catch(() => undefined);

    // Act
    const retry = await startExecutions(recordsOf('s3-multiple-records'), deps());

    // Assess
    expect(retry).toMatchObject({ started: 1, duplicates: 1, skipped: 1 });
  });

  it('logs image id, bucket, key and execution ARN but never the whole event', async () => {
    // Prepare
    const logger = new RecordingLogger();

    // Act
    await startExecutions(recordsOf('s3-put'), deps(logger));

    // Assess
    const started = logger.entries.find((e) => e.message === 'Started execution');
    expect(Object.keys(started?.attributes ?? {}).sort()).toEqual(['bucket', 'executionArn', 'imageId', 'key']);
    expect(JSON.stringify(logger.entries)).not.toContain('x-amz-id-2');
  });

  it('accounts for every record, whatever its encoded key, without throwing', async () => {
    // Prepare: arbitrary raw keys, including broken percent-encoding and folder-like keys.
    const template = recordsOf('s3-put').records[0]!;
    const rawKey = fc.oneof(
      fc.string({ minLength: 1, maxLength: 30 }),
      fc.string({ unit: fc.constantFrom('%', '2', 'B', '+', '/', 'u', 'E'), minLength: 1, maxLength: 12 }).map((k) => `uploads/${k}`),
    );

    // Act + Assess
    await fc.assert(
      fc.asyncProperty(fc.array(rawKey, { minLength: 1, maxLength: 5 }), async (keys) => {
        const records = keys.map((encodedKey, i) => ({ ...template, encodedKey, size: i % 2, sequencer: `0${i}` }));
        const summary = await startExecutions({ records, ignored: 0 }, deps());
        return summary.started + summary.duplicates + summary.skipped + (summary.failed?.length ?? 0) === records.length;
      }),
      { numRuns: 200 },
    );
  });

  it('refuses records of any other bucket without starting anything, and still starts its own', async () => {
    // Prepare
    const event = loadTriggerEvent('s3-multiple-records') as { Records: { s3: { bucket: { name: string; arn: string } } }[] };
    event.Records[0].s3.bucket = { name: 'someone-elses-bucket', arn: 'arn:aws:s3:::someone-elses-bucket' };
    const parsed = parseS3Event(event);
    if (!parsed.ok) throw parsed.error;
    const logger = new RecordingLogger();

    // Act
    const summary = await startExecutions(parsed, deps(logger));

    // Assess
    expect(summary.failed).toEqual([expect.objectContaining({ bucket: 'someone-elses-bucket', error: 'ForeignBucketError' })]);
    expect(sentInputs().map((sent) => `${sent.input.source.bucket}/${sent.input.source.key}`)).toEqual([
      `${EVENTS_BUCKET}/uploads/batch/group-1.jpg`,
    ]);
    expect(logger.entries.some((entry) => entry.level === 'error' && entry.attributes.error === 'ForeignBucketError')).toBe(true);
  });
});
