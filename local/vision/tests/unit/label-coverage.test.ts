import { producibleLabels, unproducibleLabels } from '../../mapping/label-coverage';
import { ancestorsOf, COCO_TO_LABEL } from '../../mapping/label-taxonomy';

describe('label coverage', () => {
  const byLabel = new Map(producibleLabels().map((source) => [source.label, source]));

  it('lists every COCO label, the face and text labels, and each of their ancestors once', () => {
    for (const label of [...Object.values(COCO_TO_LABEL), 'Face', 'Text']) {
      expect(byLabel.get(label)?.foundBy.length).toBeGreaterThan(0);
      for (const ancestor of ancestorsOf(label)) expect(byLabel.get(ancestor)?.parentOf).toContain(label);
    }
    expect(byLabel.size).toBe(producibleLabels().length);
  });

  it('says what finds a label and what it is a parent of', () => {
    expect(byLabel.get('Orange')?.foundBy).toEqual(['COCO "orange"', 'ImageNet "orange"']);
    expect(byLabel.get('Person')).toMatchObject({
      foundBy: ['COCO "person"', 'ImageNet "ballplayer", "groom", "scuba diver"'],
      parentOf: ['Face'],
    });
    expect(byLabel.get('Dog')?.foundBy).toEqual(['COCO "dog"', 'ImageNet "Chihuahua", "Japanese spaniel", "Maltese dog", … (118 classes)']);
    expect(byLabel.get('Citrus Fruit')).toMatchObject({ foundBy: [], parentOf: ['Orange', 'Lemon'] });
  });

  it('counts expected labels no local model can return, once per photo, most expected first', () => {
    const missing = unproducibleLabels([
      ['Alley', 'Tree', 'Tree', 'Car'],
      ['Alley', 'Dog'],
    ]);
    expect(missing).toEqual([
      { label: 'Alley', photos: 2 },
      { label: 'Tree', photos: 1 },
    ]);
  });
});
