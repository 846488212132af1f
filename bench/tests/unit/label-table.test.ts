import { labelTableMarkdown, readmeLabelTable } from '../../vision/label-table';

describe('the README table of labels local mode can and cannot return', () => {
  it('matches what the code and the evaluation manifest give (run npx tsx bench/vision/label-table.ts --write)', () => {
    expect(readmeLabelTable()).toBe(labelTableMarkdown());
  });
});
