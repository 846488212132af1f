import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import type { LocalUserPool } from '../../template/types';

/** A salted scrypt hash, `<salt hex>:<hash hex>`; passwords are never stored as they are. */
export function hashPassword(password: string): string {
  const salt = randomBytes(16);
  return `${salt.toString('hex')}:${scryptSync(password, salt, 32).toString('hex')}`;
}

/** True when the password is the one the hash was made from. */
export function passwordMatches(password: string, stored: string): boolean {
  const [saltHex, hashHex] = stored.split(':');
  if (!saltHex || !hashHex) return false;
  const expected = Buffer.from(hashHex, 'hex');
  const actual = scryptSync(password, Buffer.from(saltHex, 'hex'), expected.length);
  return timingSafeEqual(actual, expected);
}

/** What the pool's password policy finds wrong with a password (Cognito's wording), or undefined when it passes. */
export function passwordProblem(password: string, policy: LocalUserPool['passwordPolicy']): string | undefined {
  const missing: string[] = [];
  if (password.length < policy.minimumLength) missing.push(`at least ${policy.minimumLength} characters`);
  if (policy.requireLowercase && !/[a-z]/.test(password)) missing.push('a lowercase letter');
  if (policy.requireUppercase && !/[A-Z]/.test(password)) missing.push('an uppercase letter');
  if (policy.requireNumbers && !/[0-9]/.test(password)) missing.push('a number');
  if (policy.requireSymbols && !/[\^$*.[\]{}()?"!@#%&/\\,><':;|_~`=+-]/.test(password)) missing.push('a symbol');
  return missing.length === 0 ? undefined : `Password does not conform to policy: it needs ${missing.join(', ')}`;
}

/** A password that passes any policy Cognito allows (for generated users). */
export function generatedPassword(): string {
  return `Local-${randomBytes(12).toString('base64url')}-9a!`;
}
