import { readManifest } from '../../vision/eval/photos';
import { rates, scoreLabels, scoreWords, sumTallies, wordsOf } from '../../vision/eval/score';

describe('vision evaluation scoring', () => {
  it('normalises read text the way the manifest writes words', () => {
    expect(wordsOf("FOSTER'S stock-companies, Centre?")).toEqual(['fosters', 'stock', 'companies', 'centre']);
  });

  it('counts a returned label as correct only when a person accepts it for the photo', () => {
    const tally = scoreLabels(['Person', 'Remote Control', 'Ball'], ['Person', 'Ball', 'Sport', 'Soccer']);
    expect(tally).toEqual({ predicted: 3, correct: 2, expected: 4, found: 2 });
    expect(rates(tally)).toEqual({ precision: 2 / 3, recall: 0.5 });
  });

  it('does not count optional words as wrong, nor their absence as missed', () => {
    const tally = scoreWords(['NO PARKING', 'Washington', 'xyz'], ['no', 'parking'], ['washington']);
    expect(tally).toEqual({ predicted: 4, correct: 3, expected: 2, found: 2 });
  });

  it('micro-averages over photos and reports no rate when nothing was returned', () => {
    const sum = sumTallies([
      { predicted: 2, correct: 1, expected: 4, found: 1 },
      { predicted: 0, correct: 0, expected: 2, found: 0 },
    ]);
    expect(rates(sum)).toEqual({ precision: 0.5, recall: 1 / 6 });
    expect(rates({ predicted: 0, correct: 0, expected: 0, found: 0 })).toEqual({ precision: null, recall: null });
  });

  it('has a manifest whose every photo has a source, a checksum and something to score', () => {
    const manifest = readManifest();
    const ids = new Set<string>();
    for (const image of manifest.images) {
      expect(manifest.sources[image.source]).toBeDefined();
      expect(image.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(ids.has(image.id)).toBe(false);
      ids.add(image.id);
      if (image.sets.includes('everyday')) expect(image.labels?.length).toBeGreaterThan(0);
      if (image.sets.includes('sceneText') || image.sets.includes('document')) expect(image.words?.length).toBeGreaterThan(0);
      for (const word of [...(image.words ?? []), ...(image.optionalWords ?? [])]) expect(word).toMatch(/^[\p{Ll}\p{N}]+$/u);
    }
  });
});
