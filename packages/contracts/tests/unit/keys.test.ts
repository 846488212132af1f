import {
  analysisImageKey,
  confidenceKey,
  imageIdFromIndexSk,
  imagePk,
  labelIndexPk,
  labelIndexSk,
  ownerLabelIndexPk,
  ownerPhashIndexPk,
  ownerStatusIndexPk,
  perceptualHashBands,
  phashIndexPk,
  rawResponseKey,
  statusIndexPk,
  statusIndexSk,
  variantKey,
} from '../../src';

const ID = '4c305750c43906432cd42f52210099f7';

describe('key builders', () => {
  it('spells the table keys of docs/contracts.md', () => {
    expect(imagePk(ID)).toBe(`IMAGE#${ID}`);
    expect(statusIndexPk('FAILED')).toBe('STATUS#FAILED');
    expect(statusIndexSk('2026-11-25T12:00:00.000Z', ID)).toBe(`2026-11-25T12:00:00.000Z#${ID}`);
    expect(labelIndexPk('Hot Dog')).toBe('LABEL#hot dog');
    expect(labelIndexSk(98.1, ID)).toBe(`098100#${ID}`);
    expect(phashIndexPk(2, 'C3D2')).toBe('PHASH#2#c3d2');
  });

  it('prefixes the owner-scoped GSI2 partitions with the owner', () => {
    const sub = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
    expect(ownerStatusIndexPk(sub, 'SUCCEEDED')).toBe(`OWNER#${sub}#STATUS#SUCCEEDED`);
    expect(ownerLabelIndexPk('unowned', 'Hot Dog')).toBe('OWNER#unowned#LABEL#hot dog');
    expect(ownerPhashIndexPk(sub, 1, 'A1F0')).toBe(`OWNER#${sub}#PHASH#1#a1f0`);
  });

  it('orders confidences as strings the way they order as numbers, clamped to 0-100', () => {
    const keys = [0, 5.5, 9.99, 10, 70, 98.1, 100, 140, -3].map(confidenceKey);
    expect(keys).toEqual(['000000', '005500', '009990', '010000', '070000', '098100', '100000', '100000', '000000']);
  });

  it('splits a hash into four lower-case bands', () => {
    expect(perceptualHashBands('C3D2A1F08E4B7765')).toEqual(['c3d2', 'a1f0', '8e4b', '7765']);
  });

  it('reads the imageId back from any GSI1 sort key and nothing else', () => {
    expect([imageIdFromIndexSk(labelIndexSk(50, ID)), imageIdFromIndexSk(ID), imageIdFromIndexSk('2026#nope')]).toEqual([
      ID,
      ID,
      undefined,
    ]);
  });

  it('spells the processed-bucket layout', () => {
    expect(variantKey(ID, 'abcdef0123456789', 256, 'jpeg')).toBe(`images/${ID}/abcdef0123456789/w256.jpg`);
    expect(analysisImageKey(ID, 'abcdef0123456789')).toBe(`images/${ID}/abcdef0123456789/analysis.jpg`);
    expect(rawResponseKey(ID, 'abcdef0123456789', 'detect-text.json')).toBe(`images/${ID}/abcdef0123456789/rekognition/detect-text.json`);
  });
});
