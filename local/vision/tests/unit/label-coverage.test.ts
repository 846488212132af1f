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
    expect(byLabel.get('Orange')?.foundBy).toEqual(['COCO "orange"']);
    expect(byLabel.get('Person')).toMatchObject({ foundBy: ['COCO "person"'], parentOf: ['Face'] });
    expect(byLabel.get('Fruit')).toMatchObject({ foundBy: [], parentOf: ['Banana', 'Apple', 'Orange'] });
  });

  it('counts expected labels no local model can return, once per photo, most expected first', () => {
    const missing = unproducibleLabels([
      ['Building', 'Tree', 'Tree', 'Car'],
      ['Building', 'Dog'],
    ]);
    expect(missing).toEqual([
      { label: 'Building', photos: 2 },
      { label: 'Tree', photos: 1 },
    ]);
  });
});
