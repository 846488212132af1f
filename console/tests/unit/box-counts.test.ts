import { boxCounts, boxToggleCaption, instancesText } from '../../web/components/box-counts';

const box = { left: 0.1, top: 0.1, width: 0.2, height: 0.2 };
const boxesOf = (count: number) => Array.from({ length: count }, () => box);

describe('box toggle over the image', () => {
  it('names boxes, not labels: 3 labels with 5 boxes of 9 Person instances read "Labels: 5 boxes of 9 found"', () => {
    // Prepare: what group-1.jpg's summary holds (Face and Head have no instances; Person 9, the 5 most confident boxed)
    const labels = [
      { boxes: [], attributes: { instances: 0 } },
      { boxes: [], attributes: { instances: 0 } },
      { boxes: boxesOf(5), attributes: { instances: 9 } },
    ];

    // Act
    const counts = boxCounts(labels, (item) => item.boxes.length);

    // Assess
    expect(counts).toEqual({ drawn: 5, found: 9 });
    expect(boxToggleCaption('Labels', counts.drawn, counts.found)).toBe('Labels: 5 boxes of 9 found');
  });

  it('says only the box count when every instance is drawn (faces, text lines, items without an instance count)', () => {
    const faces = Array.from({ length: 13 }, () => ({ boxes: [box] }));
    const counts = boxCounts(faces, (item) => item.boxes.length);
    expect(boxToggleCaption('Faces', counts.drawn, counts.found)).toBe('Faces: 13 boxes');
    expect(boxToggleCaption('Labels', 1, 1)).toBe('Labels: 1 box');
  });

  it('never counts fewer found than drawn, and ignores an instance count that is not a number', () => {
    const items = [
      { boxes: boxesOf(2), attributes: { instances: 1 } },
      { boxes: boxesOf(1), attributes: { instances: 'x' } },
    ];
    expect(boxCounts(items, (item) => item.boxes.length)).toEqual({ drawn: 3, found: 3 });
  });
});

describe("a label's instances", () => {
  it('says how many are boxed when not all are', () => {
    expect(instancesText(9, 5)).toBe('instances: 9 (the 5 most confident boxed)');
    expect(instancesText(2, 0)).toBe('instances: 2 (none boxed)');
    expect(instancesText(3, 3)).toBe('instances: 3');
    expect(instancesText(0, 0)).toBe('instances: 0');
  });
});
