import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { LocalUserPool, LocalUserPoolClient } from '../../template/types';
import { signJwt } from './jwt';
import { hashPassword, passwordMatches, passwordProblem } from './password';
import { loadOrCreateSigningKey, type SigningKey } from './signing-key';
import { UserStore, type LocalUser } from './user-store';

/** Tokens as Cognito's token endpoint returns them. */
export interface TokenSet {
  id_token: string;
  access_token: string;
  refresh_token?: string;
  expires_in: number;
  token_type: 'Bearer';
}

/** A failed user-pool operation, named as Cognito names it (UserNotFoundException, NotAuthorizedException, …). */
export class UserPoolError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = code;
  }
}

interface PendingCode {
  username: string;
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
  nonce?: string;
  scope: string;
  expiresAt: number;
}

/** How long an authorization code may be exchanged, as in Cognito. */
const CODE_TTL_MS = 5 * 60 * 1000;
/** Cognito's phone_number format: E.164. */
const E164 = /^\+[1-9][0-9]{6,14}$/;

/**
 * One of the template's Cognito user pools in local mode: users (persisted), groups, app clients, and the tokens it
 * signs with its own RS256 key, whose public half it serves as JWKS at `<issuer>/.well-known/jwks.json`.
 */
export class LocalUserPoolService {
  private readonly codes = new Map<string, PendingCode>();
  private readonly refreshTokens = new Map<string, { username: string; clientId: string; expiresAt: number }>();

  private constructor(
    readonly definition: LocalUserPool,
    readonly key: SigningKey,
    readonly users: UserStore,
    private issuerUrl: string,
    private readonly now: () => Date,
  ) {}

  /** Opens the pool's users and signing key under `<dataDir>/cognito-idp/<pool id>/`. */
  static async open(definition: LocalUserPool, dataDir: string, now: () => Date = () => new Date()): Promise<LocalUserPoolService> {
    const folder = join(dataDir, 'cognito-idp', definition.id);
    const [key, users] = await Promise.all([
      loadOrCreateSigningKey(join(folder, 'signing-key.json')),
      UserStore.open(join(folder, 'users.json')),
    ]);
    return new LocalUserPoolService(definition, key, users, '', now);
  }

  get id(): string {
    return this.definition.id;
  }

  /** The `iss` of this pool's tokens: `<user pool server>/<pool id>`, once the server listens. */
  get issuer(): string {
    return this.issuerUrl;
  }

  setIssuer(issuer: string): void {
    this.issuerUrl = issuer;
  }

  /** The public keys as a JWKS document. */
  jwks(): { keys: Array<Record<string, string>> } {
    return { keys: [this.key.publicJwk] };
  }

  client(clientId: string): LocalUserPoolClient {
    const client = this.definition.clients.find((entry) => entry.id === clientId);
    if (!client) throw new UserPoolError('ResourceNotFoundException', `User pool client ${clientId} does not exist.`);
    return client;
  }

  /** @throws UserPoolError UserNotFoundException. */
  user(usernameOrEmail: string): LocalUser {
    const user = this.users.find(usernameOrEmail);
    if (!user) throw new UserPoolError('UserNotFoundException', 'User does not exist.');
    return user;
  }

  /**
   * Creates a user. With a permanent password the user can sign in at once; with a temporary one the hosted sign-in
   * asks for a new password first, as Cognito's does.
   * @throws UserPoolError UsernameExistsException, InvalidPasswordException, InvalidParameterException.
   */
  async createUser(email: string, password: string, options: { permanent: boolean; groups?: string[] }): Promise<LocalUser> {
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) throw new UserPoolError('InvalidParameterException', 'Invalid email address format.');
    if (this.users.find(email)) throw new UserPoolError('UsernameExistsException', 'An account with the given email already exists.');
    this.checkPassword(password);
    for (const group of options.groups ?? []) this.checkGroup(group);
    const user = await this.users.add(email, hashPassword(password), options.permanent ? 'CONFIRMED' : 'FORCE_CHANGE_PASSWORD', this.now());
    return options.groups?.length ? this.users.update(user, { groups: [...options.groups] }, this.now()) : user;
  }

  /** @throws UserPoolError UserNotFoundException, InvalidPasswordException. */
  async setPassword(usernameOrEmail: string, password: string, permanent: boolean): Promise<LocalUser> {
    const user = this.user(usernameOrEmail);
    this.checkPassword(password);
    return this.users.update(
      user,
      { passwordHash: hashPassword(password), status: permanent ? 'CONFIRMED' : 'FORCE_CHANGE_PASSWORD' },
      this.now(),
    );
  }

  /**
   * Sets a user's phone number and whether it is verified, as AdminUpdateUserAttributes does: a new number is
   * unverified unless the same call marks it verified (an administrator's confirmation).
   * @throws UserPoolError UserNotFoundException, InvalidParameterException (not E.164).
   */
  async updatePhone(usernameOrEmail: string, change: { phoneNumber?: string; verified?: boolean }): Promise<LocalUser> {
    const user = this.user(usernameOrEmail);
    if (change.phoneNumber !== undefined && !E164.test(change.phoneNumber))
      throw new UserPoolError('InvalidParameterException', 'Invalid phone number format.');
    const phoneNumber = change.phoneNumber ?? user.phoneNumber;
    if (phoneNumber === undefined && change.verified === true)
      throw new UserPoolError('InvalidParameterException', 'phone_number_verified cannot be true without a phone_number.');
    const renumbered = change.phoneNumber !== undefined && change.phoneNumber !== user.phoneNumber;
    const verified = change.verified ?? (renumbered ? false : (user.phoneNumberVerified ?? false));
    return this.users.update(user, { phoneNumber, phoneNumberVerified: verified }, this.now());
  }

  /** @throws UserPoolError UserNotFoundException, ResourceNotFoundException (no such group). */
  async addToGroup(usernameOrEmail: string, group: string): Promise<LocalUser> {
    this.checkGroup(group);
    const user = this.user(usernameOrEmail);
    return user.groups.includes(group) ? user : this.users.update(user, { groups: [...user.groups, group] }, this.now());
  }

  /** @throws UserPoolError UserNotFoundException. */
  async removeFromGroup(usernameOrEmail: string, group: string): Promise<LocalUser> {
    const user = this.user(usernameOrEmail);
    return this.users.update(user, { groups: user.groups.filter((entry) => entry !== group) }, this.now());
  }

  /**
   * Checks a sign-in. @throws UserPoolError NotAuthorizedException for a wrong password or a disabled user
   * (the same message for an unknown user, so sign-in reveals nobody's existence).
   */
  authenticate(usernameOrEmail: string, password: string): LocalUser {
    const user = this.users.find(usernameOrEmail);
    if (!user || !user.enabled || !passwordMatches(password, user.passwordHash))
      throw new UserPoolError('NotAuthorizedException', 'Incorrect username or password.');
    return user;
  }

  /** Issues an authorization code for a signed-in user (PKCE S256 challenge kept for the exchange). */
  issueCode(user: LocalUser, request: Omit<PendingCode, 'username' | 'expiresAt'>): string {
    const code = randomUUID();
    this.codes.set(code, { ...request, username: user.username, expiresAt: this.now().getTime() + CODE_TTL_MS });
    return code;
  }

  /**
   * Exchanges a code for tokens: once only, for the same client and redirect URI, with the verifier of its challenge.
   * @throws UserPoolError invalid_grant.
   */
  exchangeCode(code: string, clientId: string, redirectUri: string, codeVerifier: string): TokenSet {
    const pending = this.codes.get(code);
    this.codes.delete(code);
    if (!pending || pending.expiresAt < this.now().getTime() || pending.clientId !== clientId || pending.redirectUri !== redirectUri)
      throw new UserPoolError('invalid_grant', 'The code is unknown, used, expired or was issued for another client or redirect URI.');
    const challenge = createHash('sha256').update(codeVerifier).digest('base64url');
    if (challenge !== pending.codeChallenge)
      throw new UserPoolError('invalid_grant', 'The code_verifier does not match the code_challenge.');
    const refreshToken = randomBytes(32).toString('base64url');
    const client = this.client(clientId);
    this.refreshTokens.set(refreshToken, {
      username: pending.username,
      clientId,
      expiresAt: this.now().getTime() + client.refreshTokenDays * 86_400_000,
    });
    return {
      ...this.issueTokens(this.user(pending.username), clientId, { nonce: pending.nonce, scope: pending.scope }),
      refresh_token: refreshToken,
    };
  }

  /** New ID and access tokens for a refresh token. @throws UserPoolError invalid_grant. */
  refresh(refreshToken: string, clientId: string): TokenSet {
    const entry = this.refreshTokens.get(refreshToken);
    if (!entry || entry.clientId !== clientId || entry.expiresAt < this.now().getTime())
      throw new UserPoolError('invalid_grant', 'Invalid Refresh Token');
    return this.issueTokens(this.user(entry.username), clientId, {});
  }

  /** Forgets a refresh token (the token endpoint's revoke, and sign-out). */
  revoke(refreshToken: string): void {
    this.refreshTokens.delete(refreshToken);
  }

  /**
   * Signs an ID token and an access token with Cognito's claims. `lifetimeSeconds` overrides the client's access
   * token lifetime (tests make expired tokens with a negative one).
   */
  issueTokens(user: LocalUser, clientId: string, options: { nonce?: string; scope?: string; lifetimeSeconds?: number }): TokenSet {
    const client = this.client(clientId);
    const now = Math.floor(this.now().getTime() / 1000);
    const accessSeconds = options.lifetimeSeconds ?? client.accessTokenMinutes * 60;
    const idSeconds = options.lifetimeSeconds ?? client.idTokenMinutes * 60;
    const common = {
      sub: user.sub,
      'cognito:groups': user.groups.length ? user.groups : undefined,
      iss: this.issuer,
      origin_jti: randomUUID(),
      event_id: randomUUID(),
      auth_time: now,
      iat: now,
    };
    const access = {
      ...common,
      client_id: clientId,
      token_use: 'access',
      scope: options.scope ?? 'openid email profile',
      exp: now + accessSeconds,
      jti: randomUUID(),
      username: user.username,
    };
    const id = {
      ...common,
      aud: clientId,
      token_use: 'id',
      'cognito:username': user.username,
      email: user.email,
      email_verified: true,
      exp: now + idSeconds,
      jti: randomUUID(),
      ...(options.nonce ? { nonce: options.nonce } : {}),
    };
    return { id_token: signJwt(id, this.key), access_token: signJwt(access, this.key), expires_in: accessSeconds, token_type: 'Bearer' };
  }

  private checkPassword(password: string): void {
    const problem = passwordProblem(password, this.definition.passwordPolicy);
    if (problem) throw new UserPoolError('InvalidPasswordException', problem);
  }

  private checkGroup(group: string): void {
    if (!this.definition.groups.some((entry) => entry.name === group))
      throw new UserPoolError('ResourceNotFoundException', `Group ${group} not found.`);
  }
}
