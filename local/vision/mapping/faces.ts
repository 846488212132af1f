import type { Emotion, EmotionName, FaceDetail, Landmark, LandmarkType } from '@aws-sdk/client-rekognition';
import type { RatioBox } from '../request';

/** What the face models gave for one face, in image ratios and model units, before mapping. */
export interface FaceEvidence {
  /** overall face score 0–1 */
  score: number;
  /** the detector's box, used when there is no mesh */
  box: RatioBox;
  /** MediaPipe's 468 mesh points as [x, y] pixels of an image `imageWidth` × `imageHeight`, when the mesh model ran */
  mesh?: [number, number][];
  imageWidth: number;
  imageHeight: number;
  /** head rotation in radians */
  rotation?: { roll: number; yaw: number; pitch: number };
  age?: number;
  gender?: string;
  genderScore?: number;
  /** emotion scores 0–1 with the model's own names */
  emotions?: { emotion: string; score: number }[];
  /** brightness and sharpness 0–100 measured on the face crop */
  quality: { Brightness: number; Sharpness: number };
}

const EMOTION_NAMES: Readonly<Record<string, EmotionName>> = {
  angry: 'ANGRY',
  disgust: 'DISGUSTED',
  fear: 'FEAR',
  happy: 'HAPPY',
  sad: 'SAD',
  surprise: 'SURPRISED',
  neutral: 'CALM',
};

// MediaPipe face-mesh indices. Left and right are the viewer's: "eyeLeft" is the eye nearer the image's left edge.
const LANDMARK_INDICES: ReadonlyArray<readonly [LandmarkType, readonly number[]]> = [
  ['eyeLeft', [33, 133, 159, 145]],
  ['eyeRight', [362, 263, 386, 374]],
  ['nose', [1]],
  ['mouthLeft', [61]],
  ['mouthRight', [291]],
  ['leftEyeBrowLeft', [70]],
  ['leftEyeBrowRight', [107]],
  ['leftEyeBrowUp', [105]],
  ['rightEyeBrowLeft', [336]],
  ['rightEyeBrowRight', [300]],
  ['rightEyeBrowUp', [334]],
  ['leftEyeLeft', [33]],
  ['leftEyeRight', [133]],
  ['leftEyeUp', [159]],
  ['leftEyeDown', [145]],
  ['rightEyeLeft', [362]],
  ['rightEyeRight', [263]],
  ['rightEyeUp', [386]],
  ['rightEyeDown', [374]],
  ['noseLeft', [98]],
  ['noseRight', [327]],
  ['mouthUp', [0]],
  ['mouthDown', [17]],
  ['leftPupil', [33, 133, 159, 145]],
  ['rightPupil', [362, 263, 386, 374]],
  ['upperJawlineLeft', [234]],
  ['midJawlineLeft', [172]],
  ['chinBottom', [152]],
  ['midJawlineRight', [397]],
  ['upperJawlineRight', [454]],
];

const DEFAULT_ONLY = new Set(['DEFAULT']);

/**
 * Maps one face onto Rekognition's FaceDetail. DEFAULT gives BoundingBox, Confidence, Landmarks, Pose and Quality;
 * ALL (or the attribute's own name) adds AgeRange, Gender, Emotions, Smile, EyesOpen and MouthOpen. Attributes that
 * the local models cannot see (Beard, Eyeglasses, EyeDirection…) are left out rather than guessed.
 */
export function toFaceDetail(face: FaceEvidence, attributes: string[]): FaceDetail {
  const wants = (name: string) => attributes.includes('ALL') || (attributes.includes(name) && !DEFAULT_ONLY.has(name));
  const detail: FaceDetail = { BoundingBox: faceBox(face), Confidence: round(face.score * 100) };
  if (wants('AGE_RANGE') && face.age !== undefined) {
    detail.AgeRange = { Low: Math.max(0, Math.floor(face.age - 5)), High: Math.ceil(face.age + 5) };
  }
  const emotionScores = new Map((face.emotions ?? []).map((entry) => [entry.emotion, entry.score]));
  if (wants('SMILE') && emotionScores.size > 0)
    detail.Smile = binary((emotionScores.get('happy') ?? 0) >= 0.5, emotionScores.get('happy') ?? 0);
  if (wants('EYES_OPEN') && face.mesh) detail.EyesOpen = ratioAttribute(eyeOpenness(face.mesh), 0.18, 0.1);
  if (wants('MOUTH_OPEN') && face.mesh) detail.MouthOpen = ratioAttribute(mouthOpenness(face.mesh), 0.12, 0.12);
  if (wants('GENDER') && (face.gender === 'male' || face.gender === 'female')) {
    detail.Gender = { Value: face.gender === 'male' ? 'Male' : 'Female', Confidence: round((face.genderScore ?? 0.5) * 100) };
  }
  if (wants('EMOTIONS') && emotionScores.size > 0) detail.Emotions = toEmotions(emotionScores);
  if (face.mesh) detail.Landmarks = toLandmarks(face.mesh, face.imageWidth, face.imageHeight);
  if (face.rotation) {
    const degrees = (radians: number) => round((radians * 180) / Math.PI);
    detail.Pose = { Roll: degrees(face.rotation.roll), Yaw: degrees(face.rotation.yaw), Pitch: degrees(face.rotation.pitch) };
  }
  detail.Quality = { Brightness: face.quality.Brightness, Sharpness: face.quality.Sharpness };
  return detail;
}

/** The face's box: the mesh's extent when there is a mesh (forehead to chin, like Rekognition's), else the detector's. */
export function faceBox(face: Pick<FaceEvidence, 'box' | 'mesh' | 'imageWidth' | 'imageHeight'>): RatioBox {
  if (!face.mesh || face.mesh.length === 0) return roundBox(face.box);
  const xs = face.mesh.map(([x]) => x / face.imageWidth);
  const ys = face.mesh.map(([, y]) => y / face.imageHeight);
  const left = Math.min(...xs);
  const top = Math.min(...ys);
  return roundBox({ Left: left, Top: top, Width: Math.max(...xs) - left, Height: Math.max(...ys) - top });
}

function toLandmarks(mesh: [number, number][], width: number, height: number): Landmark[] {
  return LANDMARK_INDICES.filter(([, indices]) => indices.every((index) => mesh[index])).map(([type, indices]) => ({
    Type: type,
    X: round4(indices.reduce((sum, index) => sum + mesh[index][0], 0) / indices.length / width),
    Y: round4(indices.reduce((sum, index) => sum + mesh[index][1], 0) / indices.length / height),
  }));
}

function toEmotions(scores: Map<string, number>): Emotion[] {
  return [...scores]
    .filter(([name]) => EMOTION_NAMES[name])
    .map(([name, score]) => ({ Type: EMOTION_NAMES[name], Confidence: round(score * 100) }))
    .sort((a, b) => (b.Confidence ?? 0) - (a.Confidence ?? 0));
}

// Eyelid gap over eye width, averaged over both eyes: about 0.3 when open, under 0.1 when shut.
function eyeOpenness(mesh: [number, number][]): number {
  const eye = (top: number, bottom: number, outer: number, inner: number) =>
    distance(mesh[top], mesh[bottom]) / Math.max(1e-6, distance(mesh[outer], mesh[inner]));
  return (eye(159, 145, 33, 133) + eye(386, 374, 263, 362)) / 2;
}

// Inner-lip gap over mouth width.
function mouthOpenness(mesh: [number, number][]): number {
  return distance(mesh[13], mesh[14]) / Math.max(1e-6, distance(mesh[61], mesh[291]));
}

function ratioAttribute(value: number, threshold: number, scale: number): { Value: boolean; Confidence: number } {
  return { Value: value > threshold, Confidence: round(50 + 50 * Math.min(1, Math.abs(value - threshold) / scale)) };
}

function binary(value: boolean, probability: number): { Value: boolean; Confidence: number } {
  return { Value: value, Confidence: round((value ? probability : 1 - probability) * 100) };
}

function distance(a: [number, number], b: [number, number]): number {
  return Math.hypot(a[0] - b[0], a[1] - b[1]);
}

function roundBox(box: RatioBox): RatioBox {
  return { Width: round4(box.Width), Height: round4(box.Height), Left: round4(box.Left), Top: round4(box.Top) };
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

function round4(value: number): number {
  return Math.round(value * 10000) / 10000;
}
