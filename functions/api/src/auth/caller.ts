/** The Cognito group whose members see every user's images and the runs. */
export const ADMIN_GROUP = 'admins';

/** Who is calling, from a verified access token. */
export interface Caller {
  /** The Cognito `sub`: the owner id of everything the caller uploads. */
  sub: string;
  username: string;
  groups: string[];
  isAdmin: boolean;
}

/** The caller a verified access token's claims describe. */
export function callerFromClaims(claims: Record<string, unknown>): Caller {
  const groups = Array.isArray(claims['cognito:groups'])
    ? claims['cognito:groups'].filter((group): group is string => typeof group === 'string')
    : [];
  return {
    sub: String(claims.sub),
    username: typeof claims.username === 'string' ? claims.username : String(claims.sub),
    groups,
    isAdmin: groups.includes(ADMIN_GROUP),
  };
}
