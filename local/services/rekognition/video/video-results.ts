/**
 * Rekognition Video's result lists from per-frame Detect answers: TIMESTAMPS (one entry per frame and label) or
 * SEGMENTS (one entry per continuous run of frames showing a label, with StartTimestampMillis/EndTimestampMillis and
 * DurationMillis instead of per-frame instance boxes), sorted by TIMESTAMP or NAME.
 */

/** A DetectLabels label as the local vision service answers it. */
export interface FrameLabel {
  Name: string;
  Confidence: number;
  Instances?: unknown[];
  Parents?: Array<{ Name: string }>;
  Aliases?: Array<{ Name: string }>;
  Categories?: Array<{ Name: string }>;
}

/** A DetectModerationLabels label. */
export interface FrameModerationLabel {
  Name: string;
  Confidence: number;
  ParentName?: string;
  TaxonomyLevel?: number;
}

/** What one sampled frame showed. */
export interface FrameFindings<L> {
  timestampMillis: number;
  labels: L[];
}

export type AggregateBy = 'TIMESTAMPS' | 'SEGMENTS';
export type SortBy = 'TIMESTAMP' | 'NAME';

interface Entry<L> {
  Timestamp: number;
  StartTimestampMillis?: number;
  EndTimestampMillis?: number;
  DurationMillis?: number;
  label: L;
}

/**
 * Entries for one aggregation. A segment runs from the first frame showing the label to the next sample mark after the
 * last consecutive one (capped at the duration), so a label seen at 12 s with 1 s sampling covers 12-13 s.
 */
export function aggregate<L extends { Name: string; Confidence: number }>(
  frames: ReadonlyArray<FrameFindings<L>>,
  by: AggregateBy,
  intervalMillis: number,
  durationMillis: number,
): Array<Entry<L>> {
  if (by === 'TIMESTAMPS') return frames.flatMap((frame) => frame.labels.map((label) => ({ Timestamp: frame.timestampMillis, label })));
  const open = new Map<string, { start: number; last: number; best: L; lastIndex: number }>();
  const done: Array<Entry<L>> = [];
  const close = (run: { start: number; last: number; best: L }) => {
    const end = Math.min(durationMillis, run.last + intervalMillis);
    done.push({
      Timestamp: run.start,
      StartTimestampMillis: run.start,
      EndTimestampMillis: end,
      DurationMillis: end - run.start,
      label: segmentLabel(run.best),
    });
  };
  frames.forEach((frame, index) => {
    for (const label of frame.labels) {
      const run = open.get(label.Name);
      if (run && run.lastIndex === index - 1) {
        run.last = frame.timestampMillis;
        run.lastIndex = index;
        if (label.Confidence > run.best.Confidence) run.best = label;
      } else {
        if (run) close(run);
        open.set(label.Name, { start: frame.timestampMillis, last: frame.timestampMillis, best: label, lastIndex: index });
      }
    }
  });
  for (const run of open.values()) close(run);
  return done;
}

// Segments carry no per-frame instance boxes (they belong to one timestamp).
function segmentLabel<L>(label: L): L {
  return 'Instances' in (label as object) ? { ...label, Instances: [] } : label;
}

/** Sorts entries by time (then name) or by name (then time), as GetLabelDetection's SortBy does. */
export function sortEntries<L extends { Name: string }>(entries: Array<Entry<L>>, by: SortBy): Array<Entry<L>> {
  const byTime = (a: Entry<L>, b: Entry<L>) => a.Timestamp - b.Timestamp;
  const byName = (a: Entry<L>, b: Entry<L>) => a.label.Name.localeCompare(b.label.Name);
  return [...entries].sort((a, b) => (by === 'NAME' ? byName(a, b) || byTime(a, b) : byTime(a, b) || byName(a, b)));
}

/** One page of entries and the token of the next (an opaque offset), as Get* pages with MaxResults/NextToken. */
export function page<T>(entries: T[], maxResults: number, nextToken: string | undefined): { items: T[]; nextToken?: string } {
  const offset = nextToken === undefined ? 0 : decodeToken(nextToken);
  const items = entries.slice(offset, offset + maxResults);
  const next = offset + items.length;
  return next < entries.length ? { items, nextToken: encodeToken(next) } : { items };
}

const encodeToken = (offset: number): string => Buffer.from(`offset:${offset}`).toString('base64');

/** @throws InvalidTokenError when the token is not one this service issued. */
export function decodeToken(token: string): number {
  const match = /^offset:(\d+)$/.exec(Buffer.from(token, 'base64').toString('utf8'));
  if (!match) throw new InvalidTokenError('NextToken is not valid');
  return Number(match[1]);
}

export class InvalidTokenError extends Error {
  override readonly name = 'InvalidTokenError';
}
