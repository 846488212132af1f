import { faceBox, toFaceDetail, type FaceEvidence } from '../../mapping/faces';

// A 468-point mesh laid out on a 100x100 face: every point on a grid, with the few points the mapping reads placed by hand.
function mesh(overrides: Record<number, [number, number]>): [number, number][] {
  const points = Array.from(
    { length: 468 },
    (_, index) => [100 + (index % 22) * 4.5, 100 + Math.floor(index / 22) * 4.5] as [number, number],
  );
  for (const [index, point] of Object.entries(overrides)) points[Number(index)] = point;
  return points;
}

const OPEN_EYES_CLOSED_MOUTH = mesh({
  33: [120, 140],
  133: [140, 140],
  159: [130, 134],
  145: [130, 146],
  263: [180, 140],
  362: [160, 140],
  386: [170, 134],
  374: [170, 146],
  61: [130, 180],
  291: [170, 180],
  13: [150, 179],
  14: [150, 181],
});

const FACE: FaceEvidence = {
  score: 0.97,
  box: { Left: 0.2, Top: 0.2, Width: 0.5, Height: 0.5 },
  mesh: OPEN_EYES_CLOSED_MOUTH,
  imageWidth: 400,
  imageHeight: 400,
  rotation: { roll: 0, yaw: Math.PI / 6, pitch: -Math.PI / 18 },
  age: 31.4,
  gender: 'female',
  genderScore: 0.9,
  emotions: [
    { emotion: 'happy', score: 0.8 },
    { emotion: 'neutral', score: 0.15 },
    { emotion: 'fear', score: 0.05 },
  ],
  quality: { Brightness: 60, Sharpness: 80 },
};

describe('toFaceDetail', () => {
  it('gives only the default attributes for DEFAULT', () => {
    const detail = toFaceDetail(FACE, ['DEFAULT']);

    expect(Object.keys(detail).sort()).toEqual(['BoundingBox', 'Confidence', 'Landmarks', 'Pose', 'Quality']);
    expect(detail.Confidence).toBe(97);
    expect(detail.Pose).toEqual({ Roll: 0, Yaw: 30, Pitch: -10 });
    expect(detail.Landmarks).toHaveLength(30);
  });

  it('adds age, gender, emotions in Rekognition names, smile, eyes and mouth for ALL', () => {
    const detail = toFaceDetail(FACE, ['ALL']);

    expect(detail.AgeRange).toEqual({ Low: 26, High: 37 });
    expect(detail.Gender).toEqual({ Value: 'Female', Confidence: 90 });
    expect(detail.Emotions).toEqual([
      { Type: 'HAPPY', Confidence: 80 },
      { Type: 'CALM', Confidence: 15 },
      { Type: 'FEAR', Confidence: 5 },
    ]);
    expect(detail.Smile).toEqual({ Value: true, Confidence: 80 });
    expect(detail.EyesOpen?.Value).toBe(true);
    expect(detail.MouthOpen?.Value).toBe(false);
    expect(detail.Beard).toBeUndefined();
    expect(detail.Sunglasses).toBeUndefined();
  });

  it('adds just the attributes named', () => {
    const detail = toFaceDetail(FACE, ['GENDER']);

    expect(detail.Gender).toBeDefined();
    expect(detail.AgeRange).toBeUndefined();
    expect(detail.Emotions).toBeUndefined();
  });

  it('puts eyeLeft at the image-left eye, in image ratios', () => {
    const landmarks = toFaceDetail(FACE, ['DEFAULT']).Landmarks ?? [];

    expect(landmarks.find((landmark) => landmark.Type === 'eyeLeft')).toEqual({ Type: 'eyeLeft', X: 0.325, Y: 0.35 });
    expect(landmarks.find((landmark) => landmark.Type === 'mouthRight')).toEqual({ Type: 'mouthRight', X: 0.425, Y: 0.45 });
  });

  it('falls back to the detector box and no landmarks without a mesh', () => {
    const detail = toFaceDetail({ ...FACE, mesh: undefined, emotions: undefined }, ['ALL']);

    expect(detail.BoundingBox).toEqual({ Left: 0.2, Top: 0.2, Width: 0.5, Height: 0.5 });
    expect(detail.Landmarks).toBeUndefined();
    expect(detail.EyesOpen).toBeUndefined();
    expect(detail.Smile).toBeUndefined();
  });
});

describe('faceBox', () => {
  it('spans the mesh in image ratios', () => {
    expect(
      faceBox({
        box: FACE.box,
        mesh: [
          [40, 20],
          [120, 20],
          [80, 100],
        ],
        imageWidth: 200,
        imageHeight: 400,
      }),
    ).toEqual({ Left: 0.2, Top: 0.05, Width: 0.4, Height: 0.2 });
  });
});
