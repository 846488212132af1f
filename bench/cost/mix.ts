/**
 * The documented upload mix that `npm run cost`, the bench and the README price (bench/README.md "Cost model"):
 * 1M images a month; 30 % with a person (faces and moderation run), 10 % with text; half need analysis.jpg; 30 %
 * near-duplicates of a photo the same owner already uploaded (burst shots, edits, re-uploads from another device).
 * Notifications: every image has an owner (uploaded through the web app); one e-mail per five images (owners keep the
 * default e-mail preference, and the rate limit folds bulk uploads into one digest); no SMS (SmsEnabled defaults to
 * false). Every share is a flag of `npm run cost`.
 */
export const DOCUMENTED_MIX = Object.freeze({
  images: 1_000_000,
  facesShare: 0.3,
  textShare: 0.1,
  analysisCopyShare: 0.5,
  notifiedShare: 1,
  emailShare: 0.2,
  smsShare: 0,
  duplicateShare: 0.3,
});

export type CostMix = { -readonly [K in keyof typeof DOCUMENTED_MIX]: number };
