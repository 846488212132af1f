import type { Me } from './api';

let current: Me | undefined;

/** Remembers who is signed in (GET /me), for pages that show admin-only parts. */
export function setSession(me: Me): void {
  current = me;
}

/** True when the signed-in user is in the admins group; the API enforces it, this only hides what would be refused. */
export function isAdmin(): boolean {
  return current?.isAdmin === true;
}
