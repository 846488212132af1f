export * from './metrics';
export * from './powertools';
export * from './with-handler';
