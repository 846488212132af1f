import { createSign } from 'node:crypto';
import type { SigningKey } from './signing-key';

/** Signs a JWT with RS256, with Cognito's header (`kid`, `alg`). */
export function signJwt(payload: Record<string, unknown>, key: SigningKey): string {
  const header = Buffer.from(JSON.stringify({ kid: key.kid, alg: 'RS256' })).toString('base64url');
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  const signature = createSign('RSA-SHA256').update(`${header}.${body}`).sign(key.privateKey).toString('base64url');
  return `${header}.${body}.${signature}`;
}
