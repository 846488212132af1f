import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { imageIdFor, storeSuccessInputSchema, uploadKeyFor, type StoreSuccessInput } from '@smart-image-pipeline/contracts';
import { failureImageItem, labelItems, perceptualHashItems, successImageItem, type Item } from '../../../store-metadata/src/items';

/** What a seeded image is, so tests can compute the expected answer by brute force. */
export interface SeededImage {
  n: number;
  imageId: string;
  owner: string;
  key: string;
  status: 'SUCCEEDED' | 'FAILED';
  labels: Array<{ name: string; confidence: number; parents: string[] }>;
  faceCount: number;
  moderated: boolean;
  text: string;
  updatedAt: string;
}

const VOCABULARY: Array<[string, string[]]> = [
  ['Dog', ['Animal', 'Pet']],
  ['Cat', ['Animal', 'Pet']],
  ['Car', ['Vehicle']],
  ['Person', []],
  ['Tree', ['Plant']],
  ['Building', []],
  ['Food', []],
  ['Beach', ['Outdoors']],
  ['Mountain', ['Outdoors']],
  ['Flower', ['Plant']],
];

/** A small deterministic generator, so a seed is the same at every run. */
function randomFrom(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const BASE: StoreSuccessInput = storeSuccessInputSchema.parse(
  JSON.parse(readFileSync(path.join(__dirname, '../../../../events/store-metadata/success.json'), 'utf8')),
);

/**
 * The facts and the table items of seeded image `n`: built with StoreMetadata's own item builders from the sample
 * state of events/store-metadata/success.json, with its owner, labels, faces, moderation, text and time varied, so
 * the items have exactly the shape and size the pipeline writes.
 */
export function seedImage(
  n: number,
  owner: string,
  bucket = 'sip-uploads-000000000000-us-east-1-local',
): { image: SeededImage; items: Item[] } {
  const random = randomFrom(n * 7919);
  const key = uploadKeyFor(owner, `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`, `photo-${n}.jpg`);
  const imageId = imageIdFor(bucket, key);
  const updatedAt = new Date(Date.UTC(2026, 0, 1) + n * 60_000).toISOString();
  const failed = n % 41 === 0;
  const picked = new Map<string, { name: string; confidence: number; parents: string[] }>();
  for (let i = 0; i < 3; i += 1) {
    const [name, parents] = VOCABULARY[Math.floor(random() * VOCABULARY.length)];
    picked.set(name, { name, confidence: Math.round((55 + random() * 45) * 100) / 100, parents });
  }
  const labels = [...picked.values()];
  const faceCount = picked.has('Person') ? 1 + Math.floor(random() * 3) : 0;
  const moderated = random() < 0.03;
  const text = random() < 0.08 ? `open ${n % 24} hours` : '';
  const hash =
    Math.floor(random() * 2 ** 32)
      .toString(16)
      .padStart(8, '0') +
    Math.floor(random() * 2 ** 32)
      .toString(16)
      .padStart(8, '0');
  const image: SeededImage = {
    n,
    imageId,
    owner,
    key,
    status: failed ? 'FAILED' : 'SUCCEEDED',
    labels: failed ? [] : labels,
    faceCount: failed ? 0 : faceCount,
    moderated: !failed && moderated,
    text: failed ? '' : text,
    updatedAt,
  };
  const ref = {
    imageId,
    revision: n.toString(16).padStart(16, '0'),
    owner,
    receivedAt: updatedAt,
    source: { ...BASE.source, bucket, key, sourceOrder: n.toString(16).toUpperCase().padStart(32, '0') },
  };
  const times = { createdAt: updatedAt, updatedAt };
  if (failed) return { image, items: [failureImageItem({ ...ref, error: { name: 'CorruptImageError', cause: 'seeded' } }, times)] };
  const sections = BASE.analysis?.sections ?? {};
  const input: StoreSuccessInput = {
    ...BASE,
    ...ref,
    resize: {
      ...BASE.resize,
      perceptualHash: hash,
      variants: BASE.resize.variants.map((variant) => ({
        ...variant,
        key: variant.key.replace(BASE.imageId, imageId).replace(BASE.revision, ref.revision),
      })),
    },
    analysis: {
      ...(BASE.analysis as NonNullable<StoreSuccessInput['analysis']>),
      sections: {
        ...sections,
        labels: {
          ...sections.labels,
          items: labels.map((label) => ({
            name: label.name,
            confidence: label.confidence,
            boxes: [],
            attributes: { parents: label.parents, instances: 0 },
          })),
        },
        faces: {
          ...sections.faces,
          items: (sections.faces?.items ?? []).slice(0, 1).flatMap((face) => Array.from({ length: faceCount }, () => face)),
        },
        moderation: { ...sections.moderation, items: moderated ? [{ name: 'Suggestive', confidence: 80 }] : [] },
        text: { ...sections.text, items: text ? [{ name: text, confidence: 95 }] : [] },
      },
    } as NonNullable<StoreSuccessInput['analysis']>,
  };
  return { image, items: [successImageItem(input, times), ...labelItems(input, updatedAt), ...perceptualHashItems(input, updatedAt)] };
}

/** Writes `count` seeded images, spread round-robin over the owners, 25 items per BatchWriteItem. */
export async function writeSeed(
  documents: Pick<DynamoDBDocumentClient, 'send'>,
  tableName: string,
  count: number,
  owners: readonly string[],
  onProgress?: (images: number, items: number) => void,
): Promise<SeededImage[]> {
  const images: SeededImage[] = [];
  let batch: Item[] = [];
  let written = 0;
  const flush = async () => {
    let requests = batch.map((Item) => ({ PutRequest: { Item } }));
    batch = [];
    for (let attempt = 0; requests.length > 0 && attempt < 10; attempt += 1) {
      const answer = await documents.send(new BatchWriteCommand({ RequestItems: { [tableName]: requests } }));
      requests = (answer.UnprocessedItems?.[tableName] ?? []) as typeof requests;
    }
  };
  for (let n = 1; n <= count; n += 1) {
    const { image, items } = seedImage(n, owners[n % owners.length]);
    images.push(image);
    for (const item of items) {
      written += 1;
      batch.push(item);
      if (batch.length === 25) await flush();
    }
    if (n % 1000 === 0) onProgress?.(n, written);
  }
  if (batch.length) await flush();
  if (count % 1000 !== 0) onProgress?.(count, written);
  return images;
}
