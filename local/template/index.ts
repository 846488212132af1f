export { loadLocalApp, handlerSource, substitute, type LoadAppOptions } from './load-app';
export { TemplateResolutionError } from './errors';
export { parseParameterOverrides } from './samconfig';
export type * from './types';
