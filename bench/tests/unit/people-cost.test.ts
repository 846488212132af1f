import { computeCost } from '../../cost/model';
import {
  CHECKPOINT_READ_RRU,
  CHECKPOINT_WRU,
  measureGroupingRun,
  measurePeopleUsage,
  PEOPLE_PRICES,
  peopleCostLines,
  type PeopleUsage,
} from '../../cost/people';
import { PRICES } from '../../cost/prices';
import { costReports, parseCostArgs, switchPrices } from '../../cost/cli';

const prices = { perWru: PRICES.dynamodb.onDemandPerWru, perRru: PRICES.dynamodb.onDemandPerRru };
const line = (lines: { item: string; usdPerThousand: number; unitsPerImage: number }[], item: string) =>
  lines.find((l) => l.item.startsWith(item))!;

describe('people cost (groupFacesIntoPeople)', () => {
  it('counts what the grouping core does for an image: one IndexFaces, one SearchFaces and two face puts per face, under the owner lock', async () => {
    // Act
    const three = await measureGroupingRun(3, 10);

    // Assess: each face is written as its own person, then again with the older person it matched (two WRU each: table
    // and GSI2); the lock item and the indexing marker are each put and deleted; the image's faces are queried, the
    // marker read, each match's record read consistently (one RRU), and the image item read before and after
    // IndexFaces (two RRU each: was it deleted or replaced?).
    expect(three).toEqual<PeopleUsage>({
      indexFaces: 1,
      searchFaces: 3,
      storedFaces: 3,
      writeUnits: 3 * 2 * 2 + 2 + 2,
      readUnits: 1 + 1 + 3 * 10 + 2 * 2,
    });
  });

  it('extends the measured usage linearly to a fractional number of faces per image', async () => {
    // Act
    const usage = await measurePeopleUsage(1.5, 4);

    // Assess
    expect(usage.indexFaces).toBeCloseTo(1);
    expect(usage.searchFaces).toBeCloseTo(1.5);
    expect(usage.storedFaces).toBeCloseTo(1.5);
  });

  it('prices IndexFaces and SearchFaces at the Group 1 price, and one month of face storage per face', () => {
    // Prepare: 1,000 images a month (first tier), 30 % with faces, two faces each.
    const perFaceImage: PeopleUsage = { indexFaces: 1, searchFaces: 2, storedFaces: 2, writeUnits: 8, readUnits: 11 };

    // Act
    const lines = peopleCostLines(1000, { faceImageShare: 0.3, perFaceImage }, prices);

    // Assess
    const group1 = PEOPLE_PRICES.group1PerImage[0].usd;
    expect(line(lines, 'IndexFaces').unitsPerImage).toBeCloseTo(0.3);
    expect(line(lines, 'IndexFaces').usdPerThousand).toBeCloseTo(0.3 * group1 * 1000);
    expect(line(lines, 'SearchFaces').usdPerThousand).toBeCloseTo(0.6 * group1 * 1000);
    expect(line(lines, 'face metadata storage').usdPerThousand).toBeCloseTo(0.6 * PEOPLE_PRICES.faceMetadataPerFaceMonth * 1000);
    // The table line also holds the detections checkpoint: put and deleted for each image grouped, looked for on every image.
    const table = 1000 * (0.3 * (8 + CHECKPOINT_WRU) * prices.perWru + (0.3 * 11 + CHECKPOINT_READ_RRU) * prices.perRru);
    expect(line(lines, 'people').usdPerThousand / table).toBeCloseTo(1, 9);
  });

  it('shares the Group 1 tier savings between IndexFaces and SearchFaces past the first tier', () => {
    // Prepare: 10 M images, all with one face: 20 M Group 1 images a month.
    const perFaceImage: PeopleUsage = { indexFaces: 1, searchFaces: 1, storedFaces: 1, writeUnits: 0, readUnits: 0 };

    // Act
    const lines = peopleCostLines(10e6, { faceImageShare: 1, perFaceImage }, prices);

    // Assess: 1 M at $0.001, 4 M at $0.0008, 15 M at $0.0006, split evenly.
    const total = 1e6 * 0.001 + 4e6 * 0.0008 + 15e6 * 0.0006;
    expect(line(lines, 'IndexFaces').usdPerThousand).toBeCloseTo((total / 2 / 10e6) * 1000);
    expect(line(lines, 'SearchFaces').usdPerThousand).toBeCloseTo((total / 2 / 10e6) * 1000);
  });

  it('is off at the defaults, and the switch adds the people lines to the documented mix', async () => {
    // Act
    const { inputs, ours } = await costReports([]);
    const switches = await switchPrices(parseCostArgs([]));
    const withPeople = switches.find((row) => row.setting === 'groupFacesIntoPeople: true')!.usdPerThousand;

    // Assess: 30 % of images with faces, 1.6 faces each: 0.3 x (1 + 1.6) Group 1 images per image, at $1 per 1,000.
    expect(inputs.people).toBeUndefined();
    expect(ours.lines.some((l) => l.item.includes('IndexFaces'))).toBe(false);
    expect(withPeople - ours.usdPerThousand).toBeGreaterThan(0.3 * 2.6 * PEOPLE_PRICES.group1PerImage[0].usd * 1000);
    expect(withPeople - ours.usdPerThousand).toBeLessThan(0.3 * 2.6 * PEOPLE_PRICES.group1PerImage[0].usd * 1000 + 0.05);
    expect(computeCost({ ...inputs }).usdPerThousand).toBeCloseTo(ours.usdPerThousand);
  });
});
