import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { writeFileAtomic } from '../s3/atomic-file';

/** The RS256 key a local user pool signs its tokens with, and its public half as a JWK. */
export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicJwk: Record<string, string>;
}

/**
 * Loads the pool's signing key from `file`, or makes and persists a new 2048-bit RSA key there, so tokens issued
 * before a restart still verify after it.
 */
export async function loadOrCreateSigningKey(file: string): Promise<SigningKey> {
  let stored: { kid: string; privatePem: string } | undefined;
  try {
    stored = JSON.parse(await readFile(file, 'utf8')) as { kid: string; privatePem: string };
  } catch {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    stored = { kid: randomBytes(16).toString('base64url'), privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
    await mkdir(dirname(file), { recursive: true });
    await writeFileAtomic(file, JSON.stringify(stored));
  }
  return keyFromPem(stored.kid, stored.privatePem);
}

/** A signing key from a PEM private key (tests make throwaway keys this way to forge tokens). */
export function keyFromPem(kid: string, privatePem: string): SigningKey {
  const privateKey = createPrivateKey(privatePem);
  const jwk = createPublicKey(privateKey).export({ format: 'jwk' }) as Record<string, string>;
  return { kid, privateKey, publicJwk: { kid, alg: 'RS256', kty: jwk.kty, e: jwk.e, n: jwk.n, use: 'sig' } };
}

/** A fresh key that is not the pool's: what a forger would sign with. */
export function throwawaySigningKey(): SigningKey {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return keyFromPem(randomBytes(16).toString('base64url'), privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
}
