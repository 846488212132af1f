import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { OCR_GRAPH_REWRITER_VERSION, simplifyOcrGraph } from './ocr-graph';

/**
 * The simplified PP-OCR graphs (ocr-graph.ts), kept on disk so a worker start reads them instead of rewriting both
 * models again (about 0.17 s of CPU per worker). A cache file is named by the source model's name, the sha256 of its
 * bytes and the rewriter's version, so a changed model or rewriter never reads an old file. Its content is a magic,
 * the sha256 of the payload, then the payload (the ONNX model): a truncated or damaged file fails the check, is
 * rewritten, and replaced. Files are written aside and renamed into place, so a reader never sees half a file, and two
 * workers filling the cache at once each write a whole, identical file.
 */

const MAGIC = Buffer.from('SIPOCRG1', 'ascii');
const DIGEST_BYTES = 32;
const HEADER_BYTES = MAGIC.length + DIGEST_BYTES;
/** The subfolder of the vision cache folder that holds the graphs. */
export const OCR_CACHE_FOLDER = 'ocr-graphs';

/** Where a model came from: the cache as it was, the rewrite (no file yet), or the rewrite replacing a bad file. */
export type OcrCacheOutcome = 'hit' | 'miss' | 'replaced-invalid';

export interface SimplifiedOcrModel {
  model: Uint8Array;
  outcome: OcrCacheOutcome;
  /** the cache file, whether or not it could be written */
  file: string;
}

/**
 * The simplified model for the ONNX file at `sourcePath`, read from `cacheDir` when a valid copy is there, else
 * rewritten and stored there. A cache that cannot be written (read-only folder, full disk) costs only the rewrite.
 * @throws Error when the source model cannot be read or is not an ONNX model
 */
export function loadSimplifiedOcrModel(sourcePath: string, cacheDir: string): SimplifiedOcrModel {
  const source = readFileSync(sourcePath);
  const folder = join(cacheDir, OCR_CACHE_FOLDER);
  const model = modelName(sourcePath);
  const digest = createHash('sha256').update(source).digest('hex').slice(0, 16);
  const name = `${model}-${digest}-r${OCR_GRAPH_REWRITER_VERSION}.onnx-cache`;
  const file = join(folder, name);
  const cached = readCacheFile(file);
  if (cached.state === 'valid') return { model: cached.payload, outcome: 'hit', file };
  const simplified = simplifyOcrGraph(source).model;
  if (writeCacheFile(folder, file, simplified)) removeStaleFiles(folder, model, name);
  return { model: simplified, outcome: cached.state === 'absent' ? 'miss' : 'replaced-invalid', file };
}

function modelName(sourcePath: string): string {
  return basename(sourcePath).replace(/\.onnx$/, '');
}

/** The cache file's payload when it is there and whole (magic and payload digest match). */
function readCacheFile(file: string): { state: 'valid'; payload: Uint8Array } | { state: 'absent' | 'invalid' } {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch {
    return { state: 'absent' };
  }
  if (bytes.length <= HEADER_BYTES || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) return { state: 'invalid' };
  const payload = bytes.subarray(HEADER_BYTES);
  const digest = createHash('sha256').update(payload).digest();
  return digest.equals(bytes.subarray(MAGIC.length, HEADER_BYTES)) ? { state: 'valid', payload } : { state: 'invalid' };
}

/** Writes magic + digest + payload beside the target and renames it into place; false when that failed. */
function writeCacheFile(folder: string, file: string, payload: Uint8Array): boolean {
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    mkdirSync(folder, { recursive: true });
    const digest = createHash('sha256').update(payload).digest();
    writeFileSync(temporary, Buffer.concat([MAGIC, digest, payload]));
    renameSync(temporary, file);
    return true;
  } catch {
    try {
      rmSync(temporary, { force: true });
    } catch {
      // The folder itself could not be made: there is no temporary file to remove.
    }
    return false;
  }
}

/** Removes this model's cache files for other model bytes or rewriter versions (temporary files are left alone). */
function removeStaleFiles(folder: string, model: string, keep: string): void {
  const escaped = model.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const ours = new RegExp(`^${escaped}-[0-9a-f]{16}-r\\d+\\.onnx-cache$`);
  for (const entry of readdirSync(folder)) {
    if (entry !== keep && ours.test(entry)) rmSync(join(folder, entry), { force: true });
  }
}
