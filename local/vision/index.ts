export { LocalVisionService, type VisionServiceOptions } from './service';
export type { AnalysisJob } from './analyser';
