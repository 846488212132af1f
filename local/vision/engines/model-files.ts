import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as TfCore from '@tensorflow/tfjs-core';

/** A tfjs model.json read from disk with its weight shards concatenated. */
export function readModelArtifacts(modelJsonPath: string): TfCore.io.ModelArtifacts {
  const json = JSON.parse(readFileSync(modelJsonPath, 'utf8')) as TfCore.io.ModelJSON;
  const shards = json.weightsManifest.flatMap((group) => group.paths.map((file) => readFileSync(join(dirname(modelJsonPath), file))));
  const weights = Buffer.concat(shards);
  return {
    modelTopology: json.modelTopology,
    format: json.format,
    generatedBy: json.generatedBy,
    convertedBy: json.convertedBy,
    signature: json.signature,
    userDefinedMetadata: json.userDefinedMetadata,
    weightSpecs: json.weightsManifest.flatMap((group) => group.weights),
    weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength) as ArrayBuffer,
  };
}

/**
 * Lets tfjs load `file://` model URLs from disk. Without tfjs-node (which cannot install here), tfjs would
 * treat them as HTTP URLs; with this router nothing is ever fetched over the network.
 */
export function registerFileLoader(tf: typeof TfCore): void {
  // A router answers null for URLs it does not own; tfjs' typing leaves that out.
  const router = (url: string | string[]) => {
    if (typeof url !== 'string' || !url.startsWith('file://')) return null;
    return { load: async () => readModelArtifacts(fileURLToPath(url)) };
  };
  tf.io.registerLoadRouter(router as unknown as Parameters<typeof tf.io.registerLoadRouter>[0]);
}
