/** An upload under the uploads prefix was deleted (or one of its versions was). */
export interface UploadRemoved {
  readonly kind: 'removed';
  readonly bucket: string;
  readonly key: string;
  readonly imageId: string;
  /** The deletion's place among the key's events (its S3 sequencer as a sourceOrder). */
  readonly deleteOrder: string;
  /** The revision whose bytes were deleted, when S3 names the version (a permanent delete of one version). */
  readonly deletedRevision: string | null;
}

/** A revision of an image was stored; the outputs of older revisions can go. */
export interface RevisionStored {
  readonly kind: 'stored';
  readonly imageId: string;
}

/** One piece of clean-up work. */
export type CleanUpRequest = UploadRemoved | RevisionStored;

/** What one request did. */
export interface CleanUpOutcome {
  readonly imageId: string;
  /** What happened: the image was removed, only one version's outputs went, a newer upload kept it, or old revisions were pruned. */
  readonly result: 'image-removed' | 'version-removed' | 'newer-upload-kept' | 'revisions-pruned' | 'nothing-stored';
  readonly deletedItems: number;
  readonly deletedObjects: number;
  /** Face vectors deleted from the face collection (people grouping), when the image had any. */
  readonly deletedFaces?: number;
}

/** An image's outputs in the processed bucket for one revision. */
export interface RevisionFolder {
  readonly revision: string;
  readonly keys: readonly string[];
}
