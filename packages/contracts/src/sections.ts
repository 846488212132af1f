/** Section ids: short identifiers, used as keys in the analysis summary, on the image item and as the console's DOM ids. */
export const SECTION_ID_PATTERN = /^[a-z][A-Za-z0-9]{0,39}$/;

/** The sections the pipeline itself reads: search attributes and the notification are derived from them. */
export const SECTION_IDS = Object.freeze({
  labels: 'labels',
  moderation: 'moderation',
  faces: 'faces',
  text: 'text',
  imageProperties: 'imageProperties',
  /** Faces grouped into people (IndexFaces + SearchFaces), only with groupFacesIntoPeople on. */
  people: 'people',
});
