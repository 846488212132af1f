import { ownerFromKey } from '@smart-image-pipeline/contracts';
import type { Caller } from '../auth/caller';
import type { ImageItem } from './image-item';

/** The owner of a stored image: its `owner`, or for an item written before owners existed, the one its key names. */
export function ownerOf(item: Pick<ImageItem, 'owner' | 'source'>): string {
  return typeof item.owner === 'string' ? item.owner : ownerFromKey(item.source?.key ?? '');
}

/** True when the caller may see the image: its owner always, admins every image (unowned ones included). */
export function canSee(caller: Caller, item: Pick<ImageItem, 'owner' | 'source'>): boolean {
  return caller.isAdmin || ownerOf(item) === caller.sub;
}
