/**
 * Shapes functions/api answers with that the console reads too. Types only and no imports, so the console can use
 * them through the browser entry without any server code.
 */

/** A variant as the API lists it, with a short-lived URL that serves its bytes. */
export interface VariantView {
  file: string;
  format?: string;
  width?: number;
  height?: number;
  bytes?: number;
  url: string;
}

/** What the image item records about the decoded original (sharp's metadata), as the API shows it. */
export interface ImageFactsView {
  format?: string;
  width?: number;
  height?: number;
  bytes?: number;
  pages?: number;
  animated?: boolean;
  hasAlpha?: boolean;
  space?: string;
}
