import sharp from 'sharp';

/** Renders big black text on white with sharp's built-in SVG text rendering, as a JPEG or PNG. */
export async function renderTextImage(lines: string[], format: 'png' | 'jpeg' = 'png'): Promise<Buffer> {
  const height = 120 + lines.length * 110;
  const text = lines
    .map((line, index) => `<text x="40" y="${120 + index * 110}" font-family="sans-serif" font-size="72" fill="black">${line}</text>`)
    .join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1000" height="${height}"><rect width="100%" height="100%" fill="white"/>${text}</svg>`;
  const image = sharp(Buffer.from(svg)).flatten({ background: '#ffffff' });
  return format === 'png' ? image.png().toBuffer() : image.jpeg({ quality: 90 }).toBuffer();
}
