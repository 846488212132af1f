export { createVisionService, type VisionService, type VisionServiceOptions } from './service';
export type { JsonProtocolResponse } from './json-protocol';
export { startVisionServer } from './server';
