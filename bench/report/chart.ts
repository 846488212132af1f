import type { BenchSections, Target } from './targets';

const esc = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * A two-panel SVG: resize throughput per contender at concurrency 1 and 2 (log scale, so jimp and ours fit), and
 * each target's value as a share of its goal (green met, red missed).
 */
export function renderChart(s: BenchSections, targets: Target[], caption: string): string {
  const width = 1100;
  const parts: string[] = [];
  let y = 40;
  parts.push(`<text x="20" y="24" font-size="16" font-weight="bold">${esc(caption)}</text>`);
  const contenders = s.resize ? Object.entries(s.resize.contenders).filter(([, c]) => c.available) : [];
  if (contenders.length) {
    parts.push(
      `<text x="20" y="${y + 10}" font-size="13" font-weight="bold">Resize step: images/s (log scale), concurrency 1 (dark) and 2 (light)</text>`,
    );
    y += 24;
    const values = contenders.flatMap(([, c]) => Object.values(c.byConcurrency).map((t) => t.imagesPerSecond)).filter((v) => v > 0);
    const lo = Math.log10(Math.min(...values) / 2);
    const hi = Math.log10(Math.max(...values) * 1.2);
    const scale = (v: number) => ((Math.log10(v) - lo) / (hi - lo)) * 560;
    for (const [name, c] of contenders) {
      parts.push(`<text x="20" y="${y + 18}" font-size="12">${esc(name)}</text>`);
      ['1', '2'].forEach((conc, i) => {
        const v = c.byConcurrency[conc]?.imagesPerSecond;
        if (!v) return;
        const w = Math.max(2, scale(v));
        parts.push(`<rect x="140" y="${y + 4 + i * 13}" width="${w.toFixed(1)}" height="11" fill="${i === 0 ? '#2b6cb0' : '#90cdf4'}"/>`);
        parts.push(`<text x="${(146 + w).toFixed(1)}" y="${y + 13 + i * 13}" font-size="10">${v.toFixed(3)}</text>`);
      });
      y += 32;
    }
    y += 10;
  }
  parts.push(
    `<text x="20" y="${y + 10}" font-size="13" font-weight="bold">Targets: value as a share of the goal (inverted for lower-is-better; 1.0 = exactly on target)</text>`,
  );
  y += 24;
  const axisX = 640;
  const unit = 120;
  for (const t of targets) {
    const score = t.value === null ? 0 : t.better === 'higher' ? t.value / t.target : t.value === 0 ? 4 : t.target / t.value;
    const w = Math.min(4, score) * unit;
    parts.push(`<text x="20" y="${y + 12}" font-size="11">${esc(t.name.slice(0, 100))}</text>`);
    parts.push(
      `<rect x="${axisX}" y="${y + 2}" width="${Math.max(1, w * 0.7).toFixed(1)}" height="12" fill="${t.value === null ? '#a0aec0' : t.met ? '#38a169' : '#e53e3e'}"/>`,
    );
    parts.push(
      `<text x="${(axisX + Math.max(1, w * 0.7) + 6).toFixed(1)}" y="${y + 12}" font-size="10">${t.value === null ? 'not measured' : `${t.value} ${esc(t.unit)} (goal ${t.better === 'higher' ? '≥' : '≤'} ${t.target})`}</text>`,
    );
    y += 18;
  }
  parts.push(
    `<line x1="${axisX + unit * 0.7}" y1="${y - targets.length * 18 - 4}" x2="${axisX + unit * 0.7}" y2="${y}" stroke="#333" stroke-dasharray="3,3"/>`,
  );
  y += 10;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${y}" viewBox="0 0 ${width} ${y}" font-family="sans-serif"><rect width="100%" height="100%" fill="white"/>${parts.join('')}</svg>\n`;
}
