import type { AnalyseImageInput } from '@smart-image-pipeline/contracts';

export type { AnalyseImageInput, AnalysisConfig, AnalysisSummary, DetectSwitch } from '@smart-image-pipeline/contracts';

/** Where the Rekognition-ready image lives: the resize step's `analysisImage`. */
export type AnalysisImage = AnalyseImageInput['image'];
