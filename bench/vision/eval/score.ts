/** Counts behind a precision/recall pair: what was returned, what of it was right, what was expected and found. */
export interface Tally {
  predicted: number;
  correct: number;
  expected: number;
  found: number;
}

/** Words as the manifest writes them: lower case, letters and digits only ("FOSTER'S" -> "fosters"). */
export function wordsOf(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/['’]/g, '')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word !== '');
}

/**
 * Scores returned label names against the names a person accepts for the photo: a returned label is correct when
 * accepted; an accepted label is found when returned. Case-sensitive, as Rekognition's names are.
 */
export function scoreLabels(returned: string[], accepted: string[]): Tally {
  const names = new Set(returned);
  const ok = new Set(accepted);
  return {
    predicted: names.size,
    correct: [...names].filter((name) => ok.has(name)).length,
    expected: ok.size,
    found: [...ok].filter((name) => names.has(name)).length,
  };
}

/**
 * Scores read words (each WORD detection's text) against the words a reader must find; optional words (small or
 * damaged text that is really there) are not counted as wrong when read, nor as missed when not.
 */
export function scoreWords(detected: string[], required: string[], optional: string[] = []): Tally {
  const read = detected.flatMap(wordsOf);
  const readSet = new Set(read);
  const known = new Set([...required, ...optional]);
  const requiredSet = new Set(required);
  return {
    predicted: read.length,
    correct: read.filter((word) => known.has(word)).length,
    expected: requiredSet.size,
    found: [...requiredSet].filter((word) => readSet.has(word)).length,
  };
}

/** Adds tallies up (micro-averaging: every label or word counts once, whatever photo it is on). */
export function sumTallies(tallies: Tally[]): Tally {
  return tallies.reduce(
    (sum, tally) => ({
      predicted: sum.predicted + tally.predicted,
      correct: sum.correct + tally.correct,
      expected: sum.expected + tally.expected,
      found: sum.found + tally.found,
    }),
    { predicted: 0, correct: 0, expected: 0, found: 0 },
  );
}

/** Precision and recall of a tally; null when nothing was returned (precision) or expected (recall). */
export function rates(tally: Tally): { precision: number | null; recall: number | null } {
  return {
    precision: tally.predicted === 0 ? null : tally.correct / tally.predicted,
    recall: tally.expected === 0 ? null : tally.found / tally.expected,
  };
}
