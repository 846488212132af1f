/**
 * The parameters of the four Detect calls, as the analyser takes them once the Rekognition adapter
 * (local/services/rekognition/request.ts) has read and validated a request.
 */

/** A bounding box as Rekognition expresses it, in ratios of the image. */
export interface RatioBox {
  Left: number;
  Top: number;
  Width: number;
  Height: number;
}

export interface LabelsParams {
  minConfidence: number;
  maxLabels: number;
  generalLabels: boolean;
  imageProperties: boolean;
  maxDominantColors: number;
  labelInclusion: string[];
  labelExclusion: string[];
  categoryInclusion: string[];
  categoryExclusion: string[];
}
export interface FacesParams {
  attributes: string[];
}
export interface ModerationParams {
  minConfidence: number;
}
export interface TextParams {
  minConfidence: number;
  minBoxHeight: number;
  minBoxWidth: number;
  regions: RatioBox[];
}
