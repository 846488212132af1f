import sharp from 'sharp';

/** A distinct 160x120 JPEG per index: a two-colour split whose colours and split point vary. */
export function smallImage(index: number): Promise<Buffer> {
  const left = { r: (index * 37) % 256, g: (index * 91) % 256, b: (index * 53) % 256 };
  const split = 20 + (index % 120);
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="160" height="120"><rect width="160" height="120" fill="rgb(${255 - left.r},${255 - left.g},${255 - left.b})"/><rect width="${split}" height="120" fill="rgb(${left.r},${left.g},${left.b})"/></svg>`;
  return sharp(Buffer.from(svg)).jpeg({ quality: 85 }).toBuffer();
}

/** Runs `work` over the items with at most `parallelism` at once. */
export async function inPool<T>(items: readonly T[], parallelism: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: parallelism }, async () => {
      while (next < items.length) await work(items[next++]);
    }),
  );
}
