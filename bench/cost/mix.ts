/**
 * The documented upload mix that `npm run cost`, the bench and the README price (bench/README.md "Cost model"):
 * 1M images a month; 30 % with a person (faces and moderation run), 10 % with text; half need analysis.jpg; no
 * e-mail; 30 % near-duplicates of a photo the same owner already uploaded (burst shots, edits, re-uploads from
 * another device). Every share is a flag of `npm run cost`.
 */
export const DOCUMENTED_MIX = Object.freeze({
  images: 1_000_000,
  facesShare: 0.3,
  textShare: 0.1,
  analysisCopyShare: 0.5,
  emailShare: 0,
  duplicateShare: 0.3,
});

export type CostMix = { -readonly [K in keyof typeof DOCUMENTED_MIX]: number };
