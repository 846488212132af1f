import { RekognitionError } from '../../../../vision/errors';
import { parseRequest, parseTarget } from '../../request';

const IMAGE = { Bytes: Buffer.from('not checked here').toString('base64') };

function errorOf(action: () => unknown): RekognitionError {
  try {
    action();
  } catch (error) {
    return error as RekognitionError;
  }
  throw new Error('expected an error');
}

describe('parseTarget', () => {
  it('maps the four Detect targets onto operations', () => {
    expect(parseTarget('RekognitionService.DetectModerationLabels')).toBe('DetectModerationLabels');
  });

  it('answers other targets with UnknownOperationException', () => {
    expect(errorOf(() => parseTarget('RekognitionService.IndexFaces')).code).toBe('UnknownOperationException');
    expect(errorOf(() => parseTarget('')).code).toBe('UnknownOperationException');
  });
});

describe('parseRequest', () => {
  it('applies Rekognition defaults for DetectLabels', () => {
    const request = parseRequest('DetectLabels', JSON.stringify({ Image: IMAGE }));

    expect(request.params).toMatchObject({
      minConfidence: 55,
      maxLabels: 1000,
      generalLabels: true,
      imageProperties: false,
      maxDominantColors: 10,
    });
  });

  it('decodes Image.Bytes from base64', () => {
    const request = parseRequest('DetectText', JSON.stringify({ Image: IMAGE }));

    expect(request.image).toEqual({ kind: 'bytes', bytes: Buffer.from('not checked here') });
    expect(request.params).toMatchObject({ minConfidence: 80, regions: [] });
  });

  it('keeps the S3 object and its version', () => {
    const request = parseRequest(
      'DetectFaces',
      JSON.stringify({ Image: { S3Object: { Bucket: 'b', Name: 'k.jpg', Version: 'v1' } }, Attributes: ['ALL'] }),
    );

    expect(request.image).toEqual({ kind: 'S3Object', bucket: 'b', key: 'k.jpg', versionId: 'v1' });
    expect(request.params).toEqual({ attributes: ['ALL'] });
  });

  it.each([
    ['a body that is not JSON', '{'],
    ['a missing Image', '{}'],
    ['both Bytes and S3Object', JSON.stringify({ Image: { ...IMAGE, S3Object: { Bucket: 'b', Name: 'k' } } })],
    ['Bytes that are not base64', JSON.stringify({ Image: { Bytes: 'not base64!' } })],
    ['MinConfidence above 100', JSON.stringify({ Image: IMAGE, MinConfidence: 101 })],
    ['a negative MaxLabels', JSON.stringify({ Image: IMAGE, MaxLabels: -1 })],
    ['an unknown feature', JSON.stringify({ Image: IMAGE, Features: ['CELEBRITIES'] })],
    ['more than 20 dominant colours', JSON.stringify({ Image: IMAGE, Settings: { ImageProperties: { MaxDominantColors: 21 } } })],
  ])('refuses %s with InvalidParameterException', (_case, body) => {
    expect(errorOf(() => parseRequest('DetectLabels', body)).code).toBe('InvalidParameterException');
  });

  it('refuses an unknown face attribute with InvalidParameterException', () => {
    const error = errorOf(() => parseRequest('DetectFaces', JSON.stringify({ Image: IMAGE, Attributes: ['TATTOOS'] })));

    expect(error.code).toBe('InvalidParameterException');
  });

  it('turns a polygon region of interest into its bounding box', () => {
    const polygon = [
      { X: 0.1, Y: 0.2 },
      { X: 0.5, Y: 0.2 },
      { X: 0.5, Y: 0.6 },
    ];

    const request = parseRequest('DetectText', JSON.stringify({ Image: IMAGE, Filters: { RegionsOfInterest: [{ Polygon: polygon }] } }));

    expect(request.params).toMatchObject({ regions: [{ Left: 0.1, Top: 0.2, Width: 0.4, Height: expect.closeTo(0.4, 6) }] });
  });
});
