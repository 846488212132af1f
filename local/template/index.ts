export { loadLocalApp, handlerSource, substitute, type LoadAppOptions } from './load-app';
export { TemplateResolutionError } from './errors';
export type * from './types';
