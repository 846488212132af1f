export { createVisionService, type VisionService, type VisionServiceOptions } from './service';
export type { JsonProtocolResponse } from '../services/rekognition/json-protocol';
export { startVisionServer } from '../services/rekognition/server';
