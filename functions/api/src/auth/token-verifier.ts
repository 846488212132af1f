import { JwtVerifier } from 'aws-jwt-verify';
import {
  FetchError,
  JwksNotAvailableInCacheError,
  JwtExpiredError,
  JwtInvalidIssuerError,
  JwtInvalidSignatureAlgorithmError,
  JwtInvalidSignatureError,
  JwtNotBeforeError,
  JwtParseError,
  JwtWithoutValidKidError,
  KidNotFoundInJwksError,
  WaitPeriodNotYetEndedJwkError,
} from 'aws-jwt-verify/error';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import type { Fetcher } from 'aws-jwt-verify/https';
import { isCognitoSub } from '@smart-image-pipeline/contracts';
import { callerFromClaims, type Caller } from './caller';

/** Where tokens come from and for whom they must be: a Cognito user pool (or local mode's) and the web app's client. */
export interface TokenVerifierOptions {
  /** `https://cognito-idp.<region>.amazonaws.com/<pool id>`; locally the local user pool's issuer. */
  issuer: string;
  /** The app client id the access token's `client_id` must name. */
  clientId: string;
}

/** Checks a bearer token and says who it belongs to. */
export interface TokenVerifier {
  /** @throws TokenRejectedError naming why the token is not accepted. */
  verify(token: string): Promise<Caller>;
}

/** The same check, giving the token's claims (what API Gateway's JWT authorizer hands the function). */
export interface ClaimsVerifier extends TokenVerifier {
  /** @throws TokenRejectedError naming why the token is not accepted, KeysUnavailableError when the keys cannot be read. */
  verifyClaims(token: string): Promise<Record<string, unknown>>;
  /** Adds keys to the cache without fetching them (tests that sign their own tokens). */
  cacheJwks(jwks: unknown): void;
}

/** A token that is missing, malformed, expired, forged or meant for someone else; `reason` is safe to show. */
export class TokenRejectedError extends Error {
  override readonly name = 'TokenRejectedError';
  constructor(
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(reason, options);
  }
}

/** The keys could not be fetched: the API's problem, not the caller's. */
export class KeysUnavailableError extends Error {
  override readonly name = 'KeysUnavailableError';
}

/**
 * Fetches the JWKS with the runtime's fetch, so the same code reads Cognito's keys over HTTPS and local mode's over
 * plain HTTP on loopback (aws-jwt-verify's own fetcher speaks HTTPS only).
 */
export const fetchJwks: Fetcher = {
  async fetch(uri) {
    const response = await fetch(uri, { signal: AbortSignal.timeout(3000) });
    if (response.status !== 200) throw new KeysUnavailableError(`${uri} answered ${response.status}`);
    return response.arrayBuffer();
  },
};

// aws-jwt-verify's error classes set no name (and bundling renames classes), so they are told apart by instanceof.
const REASONS: Array<[new (...args: never[]) => Error, string]> = [
  [JwtExpiredError, 'The token has expired; sign in again.'],
  [JwtNotBeforeError, 'The token is not valid yet.'],
  [JwtInvalidSignatureError, "The token's signature does not match the user pool's keys."],
  [KidNotFoundInJwksError, 'The token is signed with a key the user pool does not have.'],
  [JwtWithoutValidKidError, 'The token names no signing key.'],
  [JwtInvalidSignatureAlgorithmError, 'The token is signed with an algorithm the user pool does not use.'],
  [JwtInvalidIssuerError, 'The token was issued by another identity provider.'],
  [JwtParseError, 'The bearer token is not a JWT.'],
];
const KEYS_UNAVAILABLE = [FetchError, JwksNotAvailableInCacheError, WaitPeriodNotYetEndedJwkError];

/**
 * The one token check of the web app, in the API function (behind API Gateway's own JWT authorizer) and in local
 * mode's HTTP API (which emulates that authorizer with it): RS256 signature against the pool's JWKS, issuer,
 * expiry, an access token (not an ID token) of this app client, and a Cognito `sub`.
 */
export function createTokenVerifier(options: TokenVerifierOptions, fetcher: Fetcher = fetchJwks): ClaimsVerifier {
  const verifier = JwtVerifier.create(
    {
      issuer: options.issuer,
      jwksUri: `${options.issuer}/.well-known/jwks.json`,
      // Cognito access tokens carry no aud; API Gateway then checks client_id, and so does customJwtCheck below.
      audience: null,
      customJwtCheck: ({ payload }) => {
        if (payload.token_use !== 'access')
          throw new TokenRejectedError(
            `Only access tokens are accepted (this is ${payload.token_use === 'id' ? 'an ID token' : 'no access token'}).`,
          );
        if (payload.client_id !== options.clientId) throw new TokenRejectedError('The token was issued to another app client.');
        if (!isCognitoSub(payload.sub)) throw new TokenRejectedError('The token names no user.');
      },
    },
    { jwksCache: new SimpleJwksCache({ fetcher }) },
  );
  async function verifyClaims(token: string): Promise<Record<string, unknown>> {
    if (token.length > 8192) throw new TokenRejectedError('The bearer token is too long.');
    try {
      return (await verifier.verify(token)) as Record<string, unknown>;
    } catch (error) {
      if (error instanceof TokenRejectedError || error instanceof KeysUnavailableError) throw error;
      if (KEYS_UNAVAILABLE.some((type) => error instanceof type))
        throw new KeysUnavailableError((error as Error).message, { cause: error });
      const reason = REASONS.find(([type]) => error instanceof type)?.[1];
      throw new TokenRejectedError(reason ?? 'The token is not valid.', { cause: error });
    }
  }
  return {
    verifyClaims,
    verify: async (token) => callerFromClaims(await verifyClaims(token)),
    cacheJwks: (jwks) => verifier.cacheJwks(jwks as never),
  };
}

/**
 * The token of an `Authorization: Bearer <token>` header.
 * @throws TokenRejectedError when there is no such header.
 */
export function bearerToken(headers: Record<string, string>): string {
  const header = headers.authorization;
  if (header === undefined || header.trim() === '') throw new TokenRejectedError('Sign in first: the request has no Authorization header.');
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) throw new TokenRejectedError('The Authorization header must be "Bearer <access token>".');
  return match[1];
}
