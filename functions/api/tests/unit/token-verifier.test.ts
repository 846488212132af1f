import { randomUUID } from 'node:crypto';
import { signJwt } from '../../../../local/services/cognito-idp/jwt';
import { throwawaySigningKey } from '../../../../local/services/cognito-idp/signing-key';
import { bearerToken, createTokenVerifier, KeysUnavailableError, TokenRejectedError } from '../../src/auth/token-verifier';

const ISSUER = 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123';
const CLIENT = '4bhm4fs1v8k5i0d2h0slmp8r9q';
const SUB = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
const key = throwawaySigningKey();

function access(overrides: Record<string, unknown> = {}, signingKey = key): string {
  const now = Math.floor(Date.now() / 1000);
  return signJwt(
    {
      sub: SUB,
      iss: ISSUER,
      client_id: CLIENT,
      token_use: 'access',
      username: SUB,
      'cognito:groups': ['admins'],
      iat: now,
      exp: now + 600,
      jti: randomUUID(),
      ...overrides,
    },
    signingKey,
  );
}

/** A verifier whose key server answers with the test key's JWKS (from memory: no network). */
function verifier() {
  const jwks = new TextEncoder().encode(JSON.stringify({ keys: [key.publicJwk] }));
  return createTokenVerifier({ issuer: ISSUER, clientId: CLIENT }, { fetch: async () => jwks.buffer });
}

async function reasonOf(token: string): Promise<string> {
  try {
    await verifier().verify(token);
    return 'accepted';
  } catch (error) {
    return error instanceof TokenRejectedError ? error.reason : `${(error as Error).name}: ${(error as Error).message}`;
  }
}

describe('createTokenVerifier', () => {
  it("accepts the pool's access token for this client and says who it is", async () => {
    // Act
    const caller = await verifier().verify(access());

    // Assess
    expect(caller).toEqual({ sub: SUB, username: SUB, groups: ['admins'], isAdmin: true });
  });

  it.each([
    ['an expired token', () => access({ exp: Math.floor(Date.now() / 1000) - 60 }), 'The token has expired; sign in again.'],
    [
      'a token signed with another key',
      () => access({}, throwawaySigningKey()),
      'The token is signed with a key the user pool does not have.',
    ],
    [
      'a token with a changed payload',
      () => {
        const [h, , s] = access().split('.');
        return `${h}.${Buffer.from(JSON.stringify({ sub: SUB })).toString('base64url')}.${s}`;
      },
      "The token's signature does not match the user pool's keys.",
    ],
    ['an ID token', () => access({ token_use: 'id', aud: CLIENT }), 'Only access tokens are accepted (this is an ID token).'],
    ['a token of another app client', () => access({ client_id: 'otherclient' }), 'The token was issued to another app client.'],
    ['a token of another issuer', () => access({ iss: 'https://evil.example' }), 'The token was issued by another identity provider.'],
    ['a token naming no Cognito user', () => access({ sub: 'root' }), 'The token names no user.'],
    ['something that is no JWT', () => 'not.a.jwt', 'The bearer token is not a JWT.'],
  ])('refuses %s with a reason', async (_case, token, reason) => {
    // Act
    const refused = await reasonOf(token());

    // Assess
    expect(refused).toBe(reason);
  });

  it('tells keys it cannot fetch from a bad token', async () => {
    // Prepare: no cached keys, and the key server is down.
    const cold = createTokenVerifier(
      { issuer: ISSUER, clientId: CLIENT },
      { fetch: () => Promise.reject(new KeysUnavailableError('connection refused')) },
    );

    // Act
    const outcome = await cold.verify(access()).catch((error: Error) => error);

    // Assess
    expect(outcome).toBeInstanceOf(KeysUnavailableError);
  });
});

describe('bearerToken', () => {
  it('reads "Bearer <token>" and refuses anything else', () => {
    expect(bearerToken({ authorization: 'Bearer abc.def.ghi' })).toBe('abc.def.ghi');
    expect(() => bearerToken({})).toThrow(/no Authorization header/);
    expect(() => bearerToken({ authorization: 'Basic dXNlcg==' })).toThrow(/Bearer <access token>/);
  });
});
