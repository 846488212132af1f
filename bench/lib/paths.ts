import path from 'node:path';

/** Root of the repository (bench/ sits directly under it). */
export const REPO_ROOT = path.resolve(__dirname, '..', '..');

/** Resolves a path relative to the repository root. */
export const repoPath = (...parts: string[]): string => path.join(REPO_ROOT, ...parts);
