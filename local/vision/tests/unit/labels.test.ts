import { toLabels } from '../../mapping/labels';
import { aliasesOf, ancestorsOf, categoryOf, COCO_TO_LABEL, LABEL_TAXONOMY } from '../../mapping/label-taxonomy';
import type { LabelsParams } from '../../request';

const PARAMS: LabelsParams = {
  minConfidence: 55,
  maxLabels: 1000,
  generalLabels: true,
  imageProperties: false,
  maxDominantColors: 10,
  labelInclusion: [],
  labelExclusion: [],
  categoryInclusion: [],
  categoryExclusion: [],
};
const BOX = { Left: 0.1, Top: 0.2, Width: 0.3, Height: 0.4 };

describe('label taxonomy', () => {
  it('maps all 80 COCO classes onto labels the taxonomy knows, with known parents', () => {
    expect(Object.keys(COCO_TO_LABEL)).toHaveLength(80);
    for (const label of Object.values(COCO_TO_LABEL)) expect(LABEL_TAXONOMY[label]).toBeDefined();
    for (const node of Object.values(LABEL_TAXONOMY)) for (const parent of node.parents) expect(LABEL_TAXONOMY[parent]).toBeDefined();
  });

  it('lists every ancestor once, nearest first', () => {
    expect(ancestorsOf('Dog')).toEqual(['Canine', 'Pet', 'Mammal', 'Animal']);
    expect(ancestorsOf('Airplane')).toEqual(['Aircraft', 'Vehicle', 'Transportation']);
  });

  it('gives the parents, categories and aliases seen in real Rekognition responses', () => {
    // Each expectation is what a stored DetectLabels response (LabelModelVersion 3.0) or AWS's documentation shows.
    expect(ancestorsOf('Tie')).toEqual(['Accessories', 'Formal Wear']);
    expect(ancestorsOf('Suit')).toEqual(['Clothing', 'Formal Wear']);
    expect(ancestorsOf('Wall')).toEqual(['Building', 'Architecture']);
    expect(ancestorsOf('Fire Hydrant')).toEqual(['Hydrant']);
    expect(categoryOf('Fire Hydrant')).toBe('Public Safety');
    expect(categoryOf('Hydrant')).toBe('Tools and Machinery');
    expect(categoryOf('Vegetation')).toBe('Nature and Outdoors');
    expect(categoryOf('Bicycle')).toBe('Hobbies and Interests');
    expect(aliasesOf('Person')).toEqual(['Human']);
    expect(aliasesOf('Mobile Phone')).toEqual(['Cell Phone']);
    expect(aliasesOf('Dog')).toEqual([]);
  });

  it('uses only category names Rekognition has', () => {
    // The 36 names another project passes as DetectLabels' LabelCategoryExclusionFilters (AWS's own list is a
    // download no search corpus holds); every category in the stored real responses is among them.
    const categories = new Set([
      'Animals and Pets',
      'Apparel and Accessories',
      'Beauty and Personal Care',
      'Buildings and Architecture',
      'Colors and Visual Composition',
      'Damage Detection',
      'Education',
      'Everyday Objects',
      'Expressions and Emotions',
      'Food and Beverage',
      'Furniture and Furnishings',
      'Health and Fitness',
      'Hobbies and Interests',
      'Home and Indoors',
      'Home Appliances',
      'Kitchen and Dining',
      'Materials',
      'Medical',
      'Nature and Outdoors',
      'Offices and Workspaces',
      'Patterns and Shapes',
      'Person Description',
      'Plants and Flowers',
      'Popular Landmarks',
      'Public Safety',
      'Religion',
      'Sports',
      'Symbols and Flags',
      'Technology and Computing',
      'Text and Documents',
      'Tools and Machinery',
      'Toys and Gaming',
      'Transport and Logistics',
      'Travel and Adventure',
      'Vehicles and Automotive',
      'Weapons and Military',
    ]);
    for (const name of Object.keys(LABEL_TAXONOMY)) expect(categories).toContain(categoryOf(name));
    expect(categories).toContain(categoryOf('a label outside the table'));
  });

  it('files fruit under Food and Plant as Rekognition does', () => {
    expect(ancestorsOf('Orange')).toEqual(['Citrus Fruit', 'Produce', 'Fruit', 'Food', 'Plant']);
    expect(ancestorsOf('Car')).toEqual(['Vehicle', 'Transportation']);
  });
});

describe('toLabels', () => {
  it('returns the aliases Rekognition gives a label in Aliases, not as labels of their own', () => {
    const labels = toLabels({ objects: [{ cocoClass: 'cell phone', score: 0.9, box: BOX }], faceScores: [] }, PARAMS);
    expect(labels.find((label) => label.Name === 'Mobile Phone')?.Aliases).toEqual([{ Name: 'Cell Phone' }]);
    expect(labels.map((label) => label.Name)).not.toContain('Cell Phone');
  });

  it('names a COCO dog Dog, with instances, parents, a category and its ancestors as labels', () => {
    const labels = toLabels({ objects: [{ cocoClass: 'dog', score: 0.7, box: BOX }], faceScores: [] }, PARAMS);

    expect(labels.map((label) => label.Name)).toEqual(['Animal', 'Canine', 'Dog', 'Mammal', 'Pet']);
    const dog = labels.find((label) => label.Name === 'Dog');
    expect(dog).toEqual({
      Name: 'Dog',
      Confidence: 96,
      Instances: [{ BoundingBox: { Width: 0.3, Height: 0.4, Left: 0.1, Top: 0.2 }, Confidence: 96 }],
      Parents: [{ Name: 'Canine' }, { Name: 'Pet' }, { Name: 'Mammal' }, { Name: 'Animal' }],
      Aliases: [],
      Categories: [{ Name: 'Animals and Pets' }],
    });
    expect(labels.find((label) => label.Name === 'Animal')?.Instances).toEqual([]);
  });

  it('calibrates raw detector scores: 0.3 is 55, and unreliable small-object classes need more', () => {
    const objects = [
      { cocoClass: 'person', score: 0.3, box: BOX },
      { cocoClass: 'remote', score: 0.43, box: BOX },
    ];

    const labels = toLabels({ objects, faceScores: [] }, { ...PARAMS, minConfidence: 0 });

    expect(labels.map((label) => [label.Name, label.Confidence])).toEqual([
      ['Person', 55],
      ['Electronics', 41],
      ['Remote Control', 41],
    ]);
  });

  it('drops labels and instances under MinConfidence', () => {
    const objects = [
      { cocoClass: 'car', score: 0.8, box: BOX },
      { cocoClass: 'car', score: 0.25, box: BOX },
      { cocoClass: 'cat', score: 0.2, box: BOX },
    ];

    const labels = toLabels({ objects, faceScores: [] }, PARAMS);

    expect(labels.map((label) => label.Name)).toEqual(['Car', 'Transportation', 'Vehicle']);
    expect(labels[0].Instances).toHaveLength(1);
  });

  it('adds Face, Head and Person when a face is found', () => {
    const labels = toLabels({ objects: [], faceScores: [0.9, 0.7] }, PARAMS);

    expect(labels.map((label) => [label.Name, label.Confidence])).toEqual([
      ['Face', 99],
      ['Head', 99],
      ['Person', 99],
    ]);
  });

  it('adds Text when legible text was found, and nothing for a weak find', () => {
    expect(toLabels({ objects: [], faceScores: [], textScore: 0.85 }, PARAMS).map((label) => [label.Name, label.Confidence])).toEqual([
      ['Text', 90],
    ]);
    expect(toLabels({ objects: [], faceScores: [], textScore: 0.4 }, PARAMS)).toEqual([]);
  });

  it('honours MaxLabels and the label and category filters', () => {
    const objects = [
      { cocoClass: 'dog', score: 0.9, box: BOX },
      { cocoClass: 'car', score: 0.8, box: BOX },
    ];

    expect(toLabels({ objects, faceScores: [] }, { ...PARAMS, maxLabels: 2 })).toHaveLength(2);
    expect(toLabels({ objects, faceScores: [] }, { ...PARAMS, labelInclusion: ['Car'] }).map((label) => label.Name)).toEqual(['Car']);
    expect(
      toLabels({ objects, faceScores: [] }, { ...PARAMS, categoryExclusion: ['Animals and Pets'] }).map((label) => label.Name),
    ).toEqual(['Car', 'Transportation', 'Vehicle']);
  });

  it('clamps instance boxes to the image', () => {
    const labels = toLabels(
      { objects: [{ cocoClass: 'person', score: 0.9, box: { Left: -0.1, Top: 0.5, Width: 0.5, Height: 0.7 } }], faceScores: [] },
      PARAMS,
    );

    expect(labels[0].Instances?.[0].BoundingBox).toEqual({ Left: 0, Top: 0.5, Width: 0.4, Height: 0.5 });
  });
});

describe('scene labels', () => {
  it('turns the cues into Sky, Outdoors and Vegetation (under Plant) at calibrated confidences', () => {
    const labels = toLabels({ objects: [], faceScores: [], scene: { sky: 0.8, vegetation: 0.3 } }, PARAMS);
    const byName = new Map(labels.map((label) => [label.Name, label]));
    expect(byName.get('Sky')?.Confidence).toBeCloseTo(byName.get('Outdoors')?.Confidence ?? 0);
    expect(byName.get('Sky')?.Confidence).toBeGreaterThan(85);
    expect(byName.get('Vegetation')).toMatchObject({ Confidence: 80, Parents: [{ Name: 'Plant' }] });
    expect(byName.get('Plant')?.Confidence).toBe(80);
    const faint = toLabels({ objects: [], faceScores: [], scene: { sky: 0.1, vegetation: 0.1 } }, PARAMS);
    expect(faint).toEqual([]);
  });

  it('does not claim sky behind a portrait: a face that fills much of the frame, but does behind a small face', () => {
    const scene = { sky: 0.8, vegetation: 0 };
    const portrait = toLabels({ objects: [], faceScores: [0.85], largestFaceShare: 0.12, scene }, PARAMS).map((label) => label.Name);
    const street = toLabels({ objects: [], faceScores: [0.85], largestFaceShare: 0.005, scene }, PARAMS).map((label) => label.Name);
    expect(portrait).not.toContain('Sky');
    expect(portrait).toContain('Face');
    expect(street).toEqual(expect.arrayContaining(['Sky', 'Outdoors', 'Face']));
  });
});

describe('classifier labels', () => {
  it('adds whole-image labels at calibrated confidences, without instances, and raises an object label it agrees with', () => {
    // Prepare: the detector found a dog weakly; the classifier is sure of Dog and finds a Building.
    const classes = [
      { label: 'Dog', score: 0.9 },
      { label: 'Animal', score: 0.9 },
      { label: 'Building', score: 0.45 },
      { label: 'Clock', score: 0.2 },
    ];

    // Act
    const labels = toLabels({ objects: [{ cocoClass: 'dog', score: 0.32, box: BOX }], faceScores: [], classes }, PARAMS);

    // Assess
    const byName = new Map(labels.map((label) => [label.Name, label]));
    expect(byName.get('Dog')?.Confidence).toBeGreaterThan(90);
    expect(byName.get('Dog')?.Instances).toHaveLength(1);
    expect(byName.get('Building')).toMatchObject({ Instances: [], Parents: [{ Name: 'Architecture' }] });
    expect(byName.get('Architecture')?.Confidence).toBe(byName.get('Building')?.Confidence);
    expect(byName.has('Clock')).toBe(false);
  });
});
