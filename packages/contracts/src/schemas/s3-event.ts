// A namespace import lets esbuild drop what is unused (zod's locales alone are ~350 KB minified).
import * as z from 'zod';
import { SEQUENCER_PATTERN } from '../ids';
import { nonEmptyString } from '../validation';

const quoted = (input: unknown): string => String(JSON.stringify(input) ?? 'missing').slice(0, 100);

/**
 * One record of an S3 event notification, as TriggerStepFunctionFunction reads it. Only the fields it uses are
 * required (Powertools' S3Schema also requires userIdentity, responseElements and an IPv4 sourceIPAddress, which
 * would refuse uploads from IPv6 clients), and size, sequencer and eventTime only for ObjectCreated records.
 * The key stays URL-encoded here: it is decoded exactly once, by the trigger, so a bad encoding fails one record.
 */
export const s3EventRecordSchema = z
  .object(
    {
      eventSource: z.literal('aws:s3', { error: (issue) => `is ${quoted(issue.input)}, not "aws:s3"` }),
      eventName: z.string({ error: 'is missing' }),
      eventTime: z.unknown().optional(),
      s3: z.object(
        {
          bucket: z.object({ name: nonEmptyString('is missing') }, { error: 'is missing' }),
          object: z.object(
            {
              key: nonEmptyString('is missing'),
              size: z.unknown().optional(),
              sequencer: z.unknown().optional(),
              eTag: z.unknown().optional(),
              versionId: z.unknown().optional(),
            },
            { error: 'is missing' },
          ),
        },
        { error: 'is missing' },
      ),
    },
    { error: 'is not an object' },
  )
  .superRefine((record, context) => {
    if (!record.eventName.startsWith('ObjectCreated:')) return;
    const { size, sequencer } = record.s3.object;
    if (typeof size !== 'number' || !Number.isFinite(size) || size < 0) {
      context.addIssue({ code: 'custom', path: ['s3', 'object', 'size'], message: 'is not a byte count' });
    }
    if (typeof sequencer !== 'string' || !SEQUENCER_PATTERN.test(sequencer)) {
      context.addIssue({ code: 'custom', path: ['s3', 'object', 'sequencer'], message: 'is not 1-32 hex digits' });
    }
    if (typeof record.eventTime !== 'string' || Number.isNaN(Date.parse(record.eventTime))) {
      context.addIssue({ code: 'custom', path: ['eventTime'], message: 'is not a timestamp' });
    }
  })
  .transform((record) => {
    const created = record.eventName.startsWith('ObjectCreated:');
    const { key, size, sequencer, eTag, versionId } = record.s3.object;
    return {
      eventName: record.eventName,
      eventTime: created ? new Date(Date.parse(String(record.eventTime))).toISOString() : '',
      bucket: record.s3.bucket.name,
      encodedKey: key,
      size: typeof size === 'number' ? size : 0,
      eTag: typeof eTag === 'string' ? eTag : null,
      // S3 writes "null" while versioning is suspended; that is no version, or every re-upload would get one revision.
      versionId: typeof versionId === 'string' && versionId !== '' && versionId !== 'null' ? versionId : null,
      sequencer: typeof sequencer === 'string' ? sequencer.toUpperCase() : '',
    };
  });

/** The records of an S3 event notification (at least one). */
export const s3EventSchema = z.object({ Records: z.array(s3EventRecordSchema).min(1) });

/** One record, its key still URL-encoded as S3 sent it. */
export type S3EventRecord = z.output<typeof s3EventRecordSchema>;
