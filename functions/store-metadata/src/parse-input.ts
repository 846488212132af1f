import { InvalidStoreInputError } from './errors';
import { describeFailure } from './failure-cause';
import type { AnalysisResult, ImageRef, LabelResult, ResizeResult, StoreRequest, TextResult, VariantRef } from './types';

type Json = Record<string, unknown>;

const IMAGE_ID = /^[0-9a-f]{32}$/;
const REVISION = /^[0-9a-f]{16}$/;
const SOURCE_ORDER = /^[0-9A-Fa-f]{32}$/;
const PERCEPTUAL_HASH = /^[0-9A-Fa-f]{16}$/;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** Collects every problem so one error tells the whole story. */
class Problems {
  public readonly list: string[] = [];

  public check(ok: boolean, problem: string): boolean {
    if (!ok) this.list.push(problem);
    return ok;
  }

  public throwIfAny(): void {
    if (this.list.length > 0) throw new InvalidStoreInputError(`Invalid StoreMetadata input: ${this.list.join('; ')}`);
  }
}

function readImageRef(event: Json, problems: Problems): ImageRef {
  const source = isObject(event.source) ? event.source : {};
  problems.check(typeof event.imageId === 'string' && IMAGE_ID.test(event.imageId), 'imageId must be 32 lower-case hex');
  problems.check(typeof event.revision === 'string' && REVISION.test(event.revision), 'revision must be 16 lower-case hex');
  problems.check(isObject(event.source), 'source must be an object');
  problems.check(typeof source.bucket === 'string' && source.bucket !== '', 'source.bucket must be a non-empty string');
  problems.check(typeof source.key === 'string' && source.key !== '', 'source.key must be a non-empty string');
  problems.check(source.versionId === undefined || source.versionId === null || typeof source.versionId === 'string', 'source.versionId must be a string or null');
  problems.check(typeof source.sourceOrder === 'string' && SOURCE_ORDER.test(source.sourceOrder), 'source.sourceOrder must be 32 hex');
  problems.check(typeof event.receivedAt === 'string' && !Number.isNaN(Date.parse(event.receivedAt)), 'receivedAt must be a timestamp');
  return {
    imageId: String(event.imageId),
    revision: String(event.revision),
    source: {
      bucket: String(source.bucket),
      key: String(source.key),
      versionId: typeof source.versionId === 'string' ? source.versionId : null,
      sourceOrder: String(source.sourceOrder).toUpperCase(),
    },
    receivedAt: String(event.receivedAt),
  };
}

function objectOrNull(value: unknown): Json | null {
  return isObject(value) ? value : null;
}

function readVariants(value: unknown, problems: Problems): VariantRef[] {
  if (!problems.check(Array.isArray(value), 'resize.variants must be an array')) return [];
  const variants = value as unknown[];
  const valid = variants.filter((v): v is VariantRef => isObject(v) && typeof v.key === 'string' && isFiniteNumber(v.width) && isFiniteNumber(v.height));
  problems.check(valid.length === variants.length, 'resize.variants[] need key, width and height');
  return valid.map((v) => ({ key: v.key, format: String(v.format ?? ''), width: v.width, height: v.height, bytes: isFiniteNumber(v.bytes) ? v.bytes : 0 }));
}

function readResize(value: unknown, problems: Problems): ResizeResult {
  const resize = isObject(value) ? value : {};
  problems.check(isObject(value), 'resize must be an object');
  problems.check(typeof resize.analysable === 'boolean', 'resize.analysable must be a boolean');
  problems.check(isObject(resize.image), 'resize.image must be an object');
  const hash = resize.perceptualHash;
  problems.check(hash === undefined || hash === null || (typeof hash === 'string' && PERCEPTUAL_HASH.test(hash)), 'resize.perceptualHash must be 16 hex');
  return {
    analysable: resize.analysable === true,
    image: objectOrNull(resize.image) ?? {},
    exif: objectOrNull(resize.exif),
    placeholder: objectOrNull(resize.placeholder),
    perceptualHash: typeof hash === 'string' ? hash.toLowerCase() : null,
    variants: readVariants(resize.variants, problems),
    analysisImage: objectOrNull(resize.analysisImage),
  };
}

function readList(value: unknown, name: string, problems: Problems): unknown[] {
  if (value === undefined || value === null) return [];
  return problems.check(Array.isArray(value), `analysis.${name} must be an array`) ? (value as unknown[]) : [];
}

function readLabels(value: unknown, problems: Problems): LabelResult[] {
  const labels = readList(value, 'labels', problems);
  const valid = labels.filter((l): l is Json => isObject(l) && typeof l.name === 'string' && l.name !== '' && isFiniteNumber(l.confidence));
  problems.check(valid.length === labels.length, 'analysis.labels[] need a name and a numeric confidence');
  return valid.map((l) => ({
    name: String(l.name),
    confidence: Number(l.confidence),
    parents: Array.isArray(l.parents) ? l.parents.filter((p): p is string => typeof p === 'string' && p !== '') : [],
    instances: isFiniteNumber(l.instances) ? l.instances : 0,
    boxes: Array.isArray(l.boxes) ? l.boxes.filter(isObject) : [],
  }));
}

function readText(value: unknown, problems: Problems): TextResult[] {
  const text = readList(value, 'text', problems);
  const valid = text.filter((t): t is Json => isObject(t) && typeof t.text === 'string');
  problems.check(valid.length === text.length, 'analysis.text[] need a text string');
  return valid.map((t) => ({ text: String(t.text), confidence: isFiniteNumber(t.confidence) ? t.confidence : 0 }));
}

function readAnalysis(value: unknown, problems: Problems): AnalysisResult | null {
  if (value === undefined || value === null) return null;
  if (!problems.check(isObject(value), 'analysis must be an object when present')) return null;
  const analysis = value as Json;
  return {
    labels: readLabels(analysis.labels, problems),
    moderation: readList(analysis.moderation, 'moderation', problems).filter(isObject),
    faces: readList(analysis.faces, 'faces', problems).filter(isObject),
    text: readText(analysis.text, problems),
    imageProperties: objectOrNull(analysis.imageProperties),
  };
}

/**
 * Validates the state handed to StoreMetadataFunction and tells a success from a failure record.
 * @throws InvalidStoreInputError naming every field that breaks docs/contracts.md.
 */
export function parseStoreRequest(event: unknown): StoreRequest {
  const problems = new Problems();
  if (!isObject(event)) throw new InvalidStoreInputError('Invalid StoreMetadata input: not an object');
  const action = event.action ?? 'storeMetadata';
  if (action !== 'storeMetadata' && action !== 'recordFailure') {
    throw new InvalidStoreInputError(`Invalid StoreMetadata input: unknown action ${JSON.stringify(action).slice(0, 60)}`);
  }
  const ref = readImageRef(event, problems);
  if (action === 'recordFailure') {
    const error = isObject(event.error) ? event.error : null;
    problems.check(error !== null, 'error must be the Catch result { Error, Cause }');
    problems.throwIfAny();
    return { action, input: { ...ref, error: describeFailure(error ?? {}) } };
  }
  const resize = readResize(event.resize, problems);
  const analysis = readAnalysis(event.analysis, problems);
  problems.throwIfAny();
  return { action, input: { ...ref, resize, analysis } };
}
