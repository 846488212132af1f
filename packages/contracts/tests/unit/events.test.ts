import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { DETAIL_TYPES, pipelineEventSchema } from '../../src';

const SCHEMAS = join(__dirname, '../../event-schemas');
const readJson = (path: string): any => JSON.parse(readFileSync(join(SCHEMAS, path), 'utf8'));

/** The JSON Schema file of each detail type (what the template registers) and its example event. */
const FILES = {
  [DETAIL_TYPES.processed]: { schema: 'image-processed.v1.json', example: 'examples/image-processed.json' },
  [DETAIL_TYPES.failed]: { schema: 'image-failed.v1.json', example: 'examples/image-failed.json' },
  [DETAIL_TYPES.flagged]: { schema: 'image-flagged.v1.json', example: 'examples/image-flagged.json' },
};
const DETAIL_TYPE_LIST = Object.values(DETAIL_TYPES);

/** A draft-04 validator, strict, with date-time checked as EventBridge's registry documents it. */
function jsonSchemaValidator(detailType: string) {
  const ajv = new Ajv({ allErrors: true, strict: true });
  addFormats(ajv, ['date-time']);
  return ajv.compile(readJson(FILES[detailType as keyof typeof FILES].schema));
}

/** One change to an example event, and whether both schemas must still accept it. */
interface Variation {
  name: string;
  change: (event: any) => void;
  valid: boolean;
}

const VARIATIONS: Variation[] = [
  { name: 'as it is', change: () => undefined, valid: true },
  { name: 'owner "unowned"', change: (event) => (event.detail.owner = 'unowned'), valid: true },
  { name: 'an e-mail address as owner', change: (event) => (event.detail.owner = 'someone@example.com'), valid: false },
  { name: 'an upper-case imageId', change: (event) => (event.detail.imageId = event.detail.imageId.toUpperCase()), valid: false },
  { name: 'schemaVersion 2', change: (event) => (event.detail.schemaVersion = 2), valid: false },
  { name: 'an object key in the detail', change: (event) => (event.detail.key = 'uploads/me/passport.jpg'), valid: false },
  { name: 'no owner', change: (event) => delete event.detail.owner, valid: false },
  { name: 'another source', change: (event) => (event.source = 'aws.s3'), valid: false },
  { name: 'no resources', change: (event) => delete event.resources, valid: false },
];

const TYPE_VARIATIONS: Record<string, Variation[]> = {
  [DETAIL_TYPES.processed]: [
    { name: 'no labels', change: (event) => (event.detail.labels = []), valid: true },
    {
      name: 'eleven labels',
      change: (event) => (event.detail.labels = Array.from({ length: 11 }, (_, i) => ({ name: `L${i}`, confidence: 90 }))),
      valid: false,
    },
    { name: 'a confidence over 100', change: (event) => (event.detail.labels[0].confidence = 100.5), valid: false },
    { name: 'a variant outside images/', change: (event) => (event.detail.variants[0].key = 'uploads/x/w256.webp'), valid: false },
    { name: 'status FAILED', change: (event) => (event.detail.status = 'FAILED'), valid: false },
    {
      name: 'a video (container as format, its duration)',
      change: (event) =>
        Object.assign(event.detail, { image: { ...event.detail.image, format: 'mp4' }, video: { durationSeconds: 8 }, variants: [] }),
      valid: true,
    },
    { name: 'a video with a negative duration', change: (event) => (event.detail.video = { durationSeconds: -1 }), valid: false },
  ],
  [DETAIL_TYPES.failed]: [
    { name: 'a States error name', change: (event) => (event.detail.error.name = 'States.Runtime'), valid: true },
    { name: 'the cause text', change: (event) => (event.detail.error.cause = 'Object uploads/me/x.jpg is not an image'), valid: false },
    { name: 'an error name with spaces', change: (event) => (event.detail.error.name = 'not a name'), valid: false },
  ],
  [DETAIL_TYPES.flagged]: [
    { name: 'no moderation labels', change: (event) => (event.detail.moderationLabels = []), valid: false },
    { name: 'a label without parentName', change: (event) => delete event.detail.moderationLabels[0].parentName, valid: false },
  ],
};

describe('event schemas', () => {
  describe.each(DETAIL_TYPE_LIST)('%s', (detailType) => {
    const validate = jsonSchemaValidator(detailType);

    it.each([...VARIATIONS, ...TYPE_VARIATIONS[detailType]])('JSON Schema and zod agree on the example with $name', ({ change, valid }) => {
      // Prepare
      const event = readJson(FILES[detailType].example);
      change(event);

      // Act
      const byJsonSchema = validate(event);
      const byZod = pipelineEventSchema.safeParse(event).success;

      // Assess
      expect({ byJsonSchema, byZod }).toEqual({ byJsonSchema: valid, byZod: valid });
    });

    it('is a draft-04 schema of the whole event, closed to fields it does not document', () => {
      // Act
      const schema = readJson(FILES[detailType].schema);

      // Assess
      expect(schema.$schema).toBe('http://json-schema.org/draft-04/schema#');
      expect(schema.properties['detail-type'].enum).toEqual([detailType]);
      expect(schema.definitions.detail.additionalProperties).toBe(false);
    });
  });

  it('names no field that could carry an address, a file name or free text', () => {
    // Prepare
    const fieldNames = (value: unknown): string[] =>
      value && typeof value === 'object' ? Object.entries(value).flatMap(([key, inner]) => [key, ...fieldNames(inner)]) : [];

    // Act
    const names = DETAIL_TYPE_LIST.flatMap((detailType) => fieldNames(readJson(FILES[detailType].schema).definitions.detail.properties));

    // Assess
    expect(
      names.filter(
        (name) => /mail|phone|address|key$|name$|cause|message|arn/i.test(name) && !['name', 'parentName', 'key'].includes(name),
      ),
    ).toEqual([]);
  });
});
