/**
 * The browser-safe entry of @smart-image-pipeline/contracts: no Node API is reachable from here
 * (console/web bundles it with esbuild; `tests/unit/browser-entry.test.ts` checks the import graph).
 */
export * from './src/ids';
export * from './src/is-object';
export * from './src/owner';
export * from './src/sniff';
export type { AnalysisSection, AnalysisSummary, AttributeValue, Box, SectionItem } from './src/schemas/analysis';
export * from './src/sections';
export type { AnalyticsChart, AnalyticsSummary } from './src/analytics-queries';
export type { ImageFactsView, VariantView } from './src/api-views';
export type { ReprocessCounts } from './src/reprocess-summary';
export * from './src/video';
