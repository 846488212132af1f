import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { repoPath } from '../../lib/paths';

/** What an evaluation photo is used for: label hit rate, word recall, moderation false positives, or choosing thresholds. */
export type EvalSet = 'everyday' | 'sceneText' | 'document' | 'ordinary' | 'calibration';

/** A box in image ratios, as Rekognition's RegionsOfInterest take it. */
export interface EvalRegion {
  Left: number;
  Top: number;
  Width: number;
  Height: number;
}

/** One labelled photo of the manifest. */
export interface EvalImage {
  id: string;
  source: string;
  path: string;
  sha256: string;
  sets: EvalSet[];
  labels?: string[];
  words?: string[];
  optionalWords?: string[];
  region?: EvalRegion;
}

interface EvalSource {
  debian: string;
  root: string;
  licence: string;
}

/** The committed manifest: where each photo comes from, its licence, and what a correct answer contains. */
export interface EvalManifest {
  about: string;
  sources: Record<string, EvalSource>;
  images: EvalImage[];
}

export const MANIFEST_PATH = join(__dirname, 'manifest.json');
const DEFAULT_CACHE = repoPath('node_modules', '.cache', 'vision-eval');

export function readManifest(): EvalManifest {
  return JSON.parse(readFileSync(MANIFEST_PATH, 'utf8')) as EvalManifest;
}

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
const cachedFile = (cacheDir: string, image: EvalImage) => join(cacheDir, image.source, image.path);

/**
 * Makes every manifest photo available under `cacheDir`, taking missing ones out of their Debian package
 * (`apt-get download` and `dpkg-deb`; nothing is installed), and checks each file's SHA-256.
 * @throws Error when apt cannot fetch a package or a file differs from the one the labels were written for
 */
export function ensureEvalPhotos(cacheDir = DEFAULT_CACHE): { image: EvalImage; file: string }[] {
  const manifest = readManifest();
  const missing = new Set(manifest.images.filter((image) => !existsSync(cachedFile(cacheDir, image))).map((image) => image.source));
  for (const source of missing) {
    const images = manifest.images.filter((image) => image.source === source);
    extractFromDebian(
      manifest.sources[source],
      images.map((image) => image.path),
      join(cacheDir, source),
    );
  }
  return manifest.images.map((image) => {
    const file = cachedFile(cacheDir, image);
    const actual = sha256(file);
    if (actual !== image.sha256) {
      throw new Error(
        `${image.id}: ${file} has SHA-256 ${actual}, but the manifest's labels are for ${image.sha256} (a different package version?)`,
      );
    }
    return { image, file };
  });
}

function extractFromDebian(source: EvalSource, paths: string[], into: string): void {
  const work = mkdtempSync(join(tmpdir(), 'vision-eval-'));
  // apt drops root to the _apt user for downloads; it needs to write here.
  chmodSync(work, 0o777);
  try {
    download(source.debian, work);
    const deb = readdirSync(work).find((name) => name.endsWith('.deb'));
    if (!deb) throw new Error(`apt-get download ${source.debian} wrote no .deb`);
    const unpacked = join(work, 'root');
    mkdirSync(unpacked);
    const members = paths.map((path) => `./${source.root}/${path}`);
    execFileSync(
      'sh',
      [
        '-c',
        'deb="$1" dir="$2"; shift 2; dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$dir" "$@"',
        'sh',
        join(work, deb),
        unpacked,
        ...members,
      ],
      { stdio: 'pipe' },
    );
    for (const path of paths) {
      const target = join(into, path);
      mkdirSync(dirname(target), { recursive: true });
      copyFileSync(join(unpacked, source.root, path), target);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function download(pkg: string, cwd: string): void {
  const attempt = () => execFileSync('apt-get', ['download', '-qq', pkg], { cwd, stdio: 'pipe' });
  try {
    attempt();
  } catch (error) {
    // A fresh machine has empty package lists; as root the bench may refresh them once.
    if (process.getuid?.() !== 0)
      throw new Error(`apt-get download ${pkg} failed (run apt-get update first): ${(error as Error).message}`, { cause: error });
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'pipe' });
    attempt();
  }
}
