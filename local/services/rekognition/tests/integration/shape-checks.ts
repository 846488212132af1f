import type {
  BoundingBox,
  DetectFacesResponse,
  DetectLabelsResponse,
  DetectModerationLabelsResponse,
  DetectTextResponse,
  DominantColor,
  Emotion,
  FaceDetail,
  Instance,
  Label,
  Landmark,
  ModerationLabel,
  TextDetection,
} from '@aws-sdk/client-rekognition';

// Key lists checked against the SDK's own types at compile time (`satisfies`), then used at run time to refuse
// any field the SDK does not know. Ranges follow the Rekognition API reference.
const FACE_KEYS = [
  'BoundingBox',
  'AgeRange',
  'Smile',
  'Eyeglasses',
  'Sunglasses',
  'Gender',
  'Beard',
  'Mustache',
  'EyesOpen',
  'MouthOpen',
  'Emotions',
  'Landmarks',
  'Pose',
  'Quality',
  'Confidence',
  'FaceOccluded',
  'EyeDirection',
] as const satisfies readonly (keyof FaceDetail)[];
const BOX_KEYS = ['Width', 'Height', 'Left', 'Top'] as const satisfies readonly (keyof BoundingBox)[];
const LABEL_KEYS = ['Name', 'Confidence', 'Instances', 'Parents', 'Aliases', 'Categories'] as const satisfies readonly (keyof Label)[];
const INSTANCE_KEYS = ['BoundingBox', 'Confidence', 'DominantColors'] as const satisfies readonly (keyof Instance)[];
const COLOR_KEYS = [
  'Red',
  'Blue',
  'Green',
  'HexCode',
  'CSSColor',
  'SimplifiedColor',
  'PixelPercent',
] as const satisfies readonly (keyof DominantColor)[];
const MODERATION_KEYS = ['Confidence', 'Name', 'ParentName', 'TaxonomyLevel'] as const satisfies readonly (keyof ModerationLabel)[];
const TEXT_KEYS = ['DetectedText', 'Type', 'Id', 'ParentId', 'Confidence', 'Geometry'] as const satisfies readonly (keyof TextDetection)[];
const LANDMARK_KEYS = ['Type', 'X', 'Y'] as const satisfies readonly (keyof Landmark)[];
const EMOTION_KEYS = ['Type', 'Confidence'] as const satisfies readonly (keyof Emotion)[];
const EMOTION_TYPES = ['HAPPY', 'SAD', 'ANGRY', 'CONFUSED', 'DISGUSTED', 'SURPRISED', 'CALM', 'UNKNOWN', 'FEAR'];

function onlyKeys(value: object, keys: readonly string[], where: string): void {
  for (const key of Object.keys(value)) if (!keys.includes(key)) throw new Error(`${where}: unknown field ${key}`);
}

function percent(value: unknown, where: string): void {
  if (typeof value !== 'number' || value < 0 || value > 100) throw new Error(`${where}: ${String(value)} is not 0-100`);
}

function box(value: BoundingBox | undefined, where: string, strict = true): void {
  if (!value) throw new Error(`${where}: missing BoundingBox`);
  onlyKeys(value, BOX_KEYS, where);
  for (const key of BOX_KEYS) {
    const number = value[key];
    if (typeof number !== 'number' || !Number.isFinite(number)) throw new Error(`${where}.${key}: not a number`);
    // Face boxes may reach past the frame, as Rekognition's do; other boxes stay inside.
    if (strict && (number < 0 || number > 1)) throw new Error(`${where}.${key}: ${number} outside 0-1`);
  }
}

function booleanWithConfidence(value: { Value?: boolean; Confidence?: number } | undefined, where: string): void {
  if (value === undefined) return;
  if (typeof value.Value !== 'boolean') throw new Error(`${where}.Value: not boolean`);
  percent(value.Confidence, `${where}.Confidence`);
}

/** Checks a DetectFaces response field by field. */
export function checkFacesResponse(response: DetectFacesResponse): void {
  for (const [index, face] of (response.FaceDetails ?? []).entries()) {
    const where = `FaceDetails[${index}]`;
    onlyKeys(face, FACE_KEYS, where);
    box(face.BoundingBox, `${where}.BoundingBox`, false);
    percent(face.Confidence, `${where}.Confidence`);
    if (face.AgeRange && !((face.AgeRange.Low ?? -1) >= 0 && (face.AgeRange.Low ?? 0) <= (face.AgeRange.High ?? -1)))
      throw new Error(`${where}.AgeRange: bad range`);
    if (face.Gender && !['Male', 'Female'].includes(String(face.Gender.Value))) throw new Error(`${where}.Gender: ${face.Gender.Value}`);
    if (face.Gender) percent(face.Gender.Confidence, `${where}.Gender.Confidence`);
    for (const name of ['Smile', 'EyesOpen', 'MouthOpen'] as const) booleanWithConfidence(face[name], `${where}.${name}`);
    for (const emotion of face.Emotions ?? []) {
      onlyKeys(emotion, EMOTION_KEYS, `${where}.Emotions`);
      if (!EMOTION_TYPES.includes(String(emotion.Type))) throw new Error(`${where}.Emotions: ${emotion.Type}`);
      percent(emotion.Confidence, `${where}.Emotions.Confidence`);
    }
    for (const landmark of face.Landmarks ?? []) {
      onlyKeys(landmark, LANDMARK_KEYS, `${where}.Landmarks`);
      if (typeof landmark.X !== 'number' || typeof landmark.Y !== 'number') throw new Error(`${where}.Landmarks: no X/Y`);
    }
    for (const angle of ['Roll', 'Yaw', 'Pitch'] as const) {
      const value = face.Pose?.[angle];
      if (typeof value !== 'number' || value < -180 || value > 180) throw new Error(`${where}.Pose.${angle}: ${value}`);
    }
    percent(face.Quality?.Brightness, `${where}.Quality.Brightness`);
    percent(face.Quality?.Sharpness, `${where}.Quality.Sharpness`);
  }
}

/** Checks a DetectLabels response field by field. */
export function checkLabelsResponse(response: DetectLabelsResponse): void {
  onlyKeys(response, ['Labels', 'LabelModelVersion', 'ImageProperties', 'OrientationCorrection', '$metadata'], 'response');
  for (const label of response.Labels ?? []) {
    onlyKeys(label, LABEL_KEYS, `Label ${label.Name}`);
    if (typeof label.Name !== 'string' || label.Name.length === 0) throw new Error('Label without Name');
    percent(label.Confidence, `Label ${label.Name}.Confidence`);
    for (const instance of label.Instances ?? []) {
      onlyKeys(instance, INSTANCE_KEYS, `Label ${label.Name}.Instances`);
      box(instance.BoundingBox, `Label ${label.Name}.Instances.BoundingBox`);
      percent(instance.Confidence, `Label ${label.Name}.Instances.Confidence`);
    }
    for (const parent of label.Parents ?? [])
      if (typeof parent.Name !== 'string') throw new Error(`Label ${label.Name}: parent without Name`);
    if (!label.Categories?.length) throw new Error(`Label ${label.Name}: no Categories`);
  }
  const properties = response.ImageProperties;
  if (properties) {
    for (const key of ['Brightness', 'Sharpness', 'Contrast'] as const)
      percent(properties.Quality?.[key], `ImageProperties.Quality.${key}`);
    for (const color of properties.DominantColors ?? []) {
      onlyKeys(color, COLOR_KEYS, 'DominantColors');
      for (const channel of ['Red', 'Green', 'Blue'] as const) {
        const value = color[channel];
        if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 255)
          throw new Error(`DominantColors.${channel}: ${value}`);
      }
      if (!/^#[0-9a-f]{6}$/.test(String(color.HexCode))) throw new Error(`DominantColors.HexCode: ${color.HexCode}`);
      if (!color.CSSColor || !color.SimplifiedColor) throw new Error('DominantColors: colour names missing');
      percent(color.PixelPercent, 'DominantColors.PixelPercent');
    }
  }
}

/** Checks a DetectModerationLabels response field by field. */
export function checkModerationResponse(response: DetectModerationLabelsResponse): void {
  if (!response.ModerationModelVersion) throw new Error('ModerationModelVersion missing');
  for (const label of response.ModerationLabels ?? []) {
    onlyKeys(label, MODERATION_KEYS, `ModerationLabel ${label.Name}`);
    percent(label.Confidence, `ModerationLabel ${label.Name}.Confidence`);
    if (typeof label.ParentName !== 'string') throw new Error(`ModerationLabel ${label.Name}: ParentName missing`);
    if (![1, 2, 3].includes(Number(label.TaxonomyLevel)))
      throw new Error(`ModerationLabel ${label.Name}: TaxonomyLevel ${label.TaxonomyLevel}`);
    if ((label.TaxonomyLevel === 1) !== (label.ParentName === ''))
      throw new Error(`ModerationLabel ${label.Name}: level and parent disagree`);
  }
}

/** Checks a DetectText response field by field, including that every WORD's parent is a LINE. */
export function checkTextResponse(response: DetectTextResponse): void {
  const detections = response.TextDetections ?? [];
  const lineIds = new Set(detections.filter((detection) => detection.Type === 'LINE').map((detection) => detection.Id));
  for (const detection of detections) {
    onlyKeys(detection, TEXT_KEYS, `TextDetection ${detection.Id}`);
    if (detection.Type !== 'LINE' && detection.Type !== 'WORD') throw new Error(`TextDetection ${detection.Id}: Type ${detection.Type}`);
    if (detection.Type === 'WORD' && !lineIds.has(detection.ParentId))
      throw new Error(`WORD ${detection.Id}: ParentId ${detection.ParentId} is no LINE`);
    if (detection.Type === 'LINE' && detection.ParentId !== undefined) throw new Error(`LINE ${detection.Id} has a ParentId`);
    percent(detection.Confidence, `TextDetection ${detection.Id}.Confidence`);
    box(detection.Geometry?.BoundingBox, `TextDetection ${detection.Id}.BoundingBox`);
    if (detection.Geometry?.Polygon?.length !== 4) throw new Error(`TextDetection ${detection.Id}: Polygon needs 4 points`);
  }
}
