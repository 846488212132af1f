import { isObject } from '@smart-image-pipeline/contracts';
import { invalidParameter, RekognitionError } from '../../vision/errors';
import type { FacesParams, LabelsParams, ModerationParams, RatioBox, TextParams } from '../../vision/request';

/** The four Detect calls this service answers. */
export type Operation = 'DetectLabels' | 'DetectFaces' | 'DetectModerationLabels' | 'DetectText';

const OPERATIONS: readonly Operation[] = ['DetectLabels', 'DetectFaces', 'DetectModerationLabels', 'DetectText'];

/** Where the image comes from: inline bytes or an object in the (local) S3 store. */
export type ImageSource = { kind: 'bytes'; bytes: Buffer } | { kind: 'S3Object'; bucket: string; key: string; versionId?: string };

/** One validated request, ready for a worker. */
export type ParsedRequest =
  | { operation: 'DetectLabels'; image: ImageSource; params: LabelsParams }
  | { operation: 'DetectFaces'; image: ImageSource; params: FacesParams }
  | { operation: 'DetectModerationLabels'; image: ImageSource; params: ModerationParams }
  | { operation: 'DetectText'; image: ImageSource; params: TextParams };

/** Face attribute names DetectFaces accepts besides DEFAULT and ALL. */
export const FACE_ATTRIBUTES = [
  'DEFAULT',
  'ALL',
  'AGE_RANGE',
  'BEARD',
  'EMOTIONS',
  'EYE_DIRECTION',
  'EYEGLASSES',
  'EYES_OPEN',
  'GENDER',
  'MOUTH_OPEN',
  'MUSTACHE',
  'FACE_OCCLUDED',
  'SMILE',
  'SUNGLASSES',
] as const;

/**
 * Maps an X-Amz-Target header onto an operation.
 * @throws RekognitionError UnknownOperationException for any other target
 */
export function parseTarget(target: string): Operation {
  const [service, operation] = (target ?? '').split('.');
  if (service === 'RekognitionService' && (OPERATIONS as readonly string[]).includes(operation)) return operation as Operation;
  throw new RekognitionError('UnknownOperationException', `Operation ${target || '(none)'} is not supported by the local vision service`);
}

/**
 * Validates one JSON 1.1 request body for an operation, the way Rekognition's input rules do.
 * @throws RekognitionError InvalidParameterException when the body is malformed or a field is out of range
 */
export function parseRequest(operation: Operation, body: string): ParsedRequest {
  const json = parseBody(body);
  const image = parseImage(json.Image);
  switch (operation) {
    case 'DetectLabels':
      return { operation, image, params: parseLabelsParams(json) };
    case 'DetectFaces':
      return { operation, image, params: { attributes: parseAttributes(json.Attributes) } };
    case 'DetectModerationLabels':
      return { operation, image, params: { minConfidence: optionalNumber(json.MinConfidence, 'MinConfidence', 0, 100) ?? 50 } };
    case 'DetectText':
      return { operation, image, params: parseTextParams(json.Filters) };
  }
}

/** Parses a JSON 1.1 body into an object. @throws RekognitionError InvalidParameterException */
export function parseBody(body: string): Record<string, unknown> {
  let json: unknown;
  try {
    json = JSON.parse(body || '{}');
  } catch {
    throw invalidParameter('the body is not JSON');
  }
  if (!isObject(json)) throw invalidParameter('the body is not a JSON object');
  return json;
}

/** Reads `Image` (Bytes or S3Object) the way every image operation does. @throws RekognitionError InvalidParameterException */
export function parseImage(value: unknown): ImageSource {
  if (!isObject(value)) throw invalidParameter('Image is required');
  const hasBytes = value.Bytes !== undefined && value.Bytes !== null;
  const hasS3 = value.S3Object !== undefined && value.S3Object !== null;
  if (hasBytes === hasS3) throw invalidParameter('Image needs exactly one of Bytes or S3Object');
  if (hasBytes) {
    if (
      typeof value.Bytes !== 'string' ||
      value.Bytes.length === 0 ||
      !/^[A-Za-z0-9+/]*={0,2}$/.test(value.Bytes) ||
      value.Bytes.length % 4 !== 0
    ) {
      throw invalidParameter('Image.Bytes must be non-empty base64');
    }
    return { kind: 'bytes', bytes: Buffer.from(value.Bytes, 'base64') };
  }
  const s3 = value.S3Object;
  if (!isObject(s3) || !nonEmptyString(s3.Bucket) || !nonEmptyString(s3.Name))
    throw invalidParameter('Image.S3Object needs Bucket and Name');
  if (s3.Version !== undefined && !nonEmptyString(s3.Version)) throw invalidParameter('Image.S3Object.Version must be a string');
  return { kind: 'S3Object', bucket: s3.Bucket, key: s3.Name, versionId: s3.Version as string | undefined };
}

function parseLabelsParams(json: Record<string, unknown>): LabelsParams {
  const features = optionalStringArray(json.Features, 'Features') ?? ['GENERAL_LABELS'];
  for (const feature of features) {
    if (feature !== 'GENERAL_LABELS' && feature !== 'IMAGE_PROPERTIES') throw invalidParameter(`unknown feature ${feature}`);
  }
  const settings = json.Settings === undefined ? {} : json.Settings;
  if (!isObject(settings)) throw invalidParameter('Settings must be an object');
  const general = settings.GeneralLabels === undefined ? {} : settings.GeneralLabels;
  const properties = settings.ImageProperties === undefined ? {} : settings.ImageProperties;
  if (!isObject(general) || !isObject(properties))
    throw invalidParameter('Settings.GeneralLabels and Settings.ImageProperties must be objects');
  return {
    minConfidence: optionalNumber(json.MinConfidence, 'MinConfidence', 0, 100) ?? 55,
    maxLabels: optionalNumber(json.MaxLabels, 'MaxLabels', 0, Number.MAX_SAFE_INTEGER) ?? 1000,
    generalLabels: features.includes('GENERAL_LABELS'),
    imageProperties: features.includes('IMAGE_PROPERTIES'),
    maxDominantColors: optionalNumber(properties.MaxDominantColors, 'MaxDominantColors', 0, 20) ?? 10,
    labelInclusion: optionalStringArray(general.LabelInclusionFilters, 'LabelInclusionFilters') ?? [],
    labelExclusion: optionalStringArray(general.LabelExclusionFilters, 'LabelExclusionFilters') ?? [],
    categoryInclusion: optionalStringArray(general.LabelCategoryInclusionFilters, 'LabelCategoryInclusionFilters') ?? [],
    categoryExclusion: optionalStringArray(general.LabelCategoryExclusionFilters, 'LabelCategoryExclusionFilters') ?? [],
  };
}

function parseAttributes(value: unknown): string[] {
  const attributes = optionalStringArray(value, 'Attributes') ?? ['DEFAULT'];
  for (const attribute of attributes) {
    if (!(FACE_ATTRIBUTES as readonly string[]).includes(attribute)) throw invalidParameter(`unknown attribute ${attribute}`);
  }
  return attributes;
}

function parseTextParams(value: unknown): TextParams {
  const filters = value === undefined ? {} : value;
  if (!isObject(filters)) throw invalidParameter('Filters must be an object');
  const word = filters.WordFilter === undefined ? {} : filters.WordFilter;
  if (!isObject(word)) throw invalidParameter('Filters.WordFilter must be an object');
  const regionsValue = filters.RegionsOfInterest === undefined ? [] : filters.RegionsOfInterest;
  if (!Array.isArray(regionsValue) || regionsValue.length > 10)
    throw invalidParameter('RegionsOfInterest must be a list of at most 10 regions');
  return {
    minConfidence: optionalNumber(word.MinConfidence, 'MinConfidence', 0, 100) ?? 80,
    minBoxHeight: optionalNumber(word.MinBoundingBoxHeight, 'MinBoundingBoxHeight', 0, 1) ?? 0,
    minBoxWidth: optionalNumber(word.MinBoundingBoxWidth, 'MinBoundingBoxWidth', 0, 1) ?? 0,
    regions: regionsValue.map(parseRegion),
  };
}

function parseRegion(region: unknown): RatioBox {
  if (!isObject(region)) throw invalidParameter('each region must be an object');
  if (isObject(region.BoundingBox)) {
    const box = region.BoundingBox;
    const read = (name: string) => optionalNumber(box[name], name, 0, 1) ?? 0;
    return { Left: read('Left'), Top: read('Top'), Width: read('Width'), Height: read('Height') };
  }
  if (Array.isArray(region.Polygon) && region.Polygon.length >= 3) {
    const points = region.Polygon.map((point) => {
      if (!isObject(point)) throw invalidParameter('Polygon points need X and Y');
      return { x: optionalNumber(point.X, 'X', 0, 1) ?? 0, y: optionalNumber(point.Y, 'Y', 0, 1) ?? 0 };
    });
    const xs = points.map((p) => p.x);
    const ys = points.map((p) => p.y);
    // The polygon's bounding box: a word counts when its box is mostly inside, so this is close enough.
    return {
      Left: Math.min(...xs),
      Top: Math.min(...ys),
      Width: Math.max(...xs) - Math.min(...xs),
      Height: Math.max(...ys) - Math.min(...ys),
    };
  }
  throw invalidParameter('each region needs a BoundingBox or a Polygon');
}

/** A number in [min, max] when present. @throws RekognitionError InvalidParameterException */
export function optionalNumber(value: unknown, name: string, min: number, max: number): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw invalidParameter(`${name} must be a number from ${min} to ${max}`);
  }
  return value;
}

function optionalStringArray(value: unknown, name: string): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string'))
    throw invalidParameter(`${name} must be a list of strings`);
  return value as string[];
}

function nonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}
