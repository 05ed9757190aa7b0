import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { authSecrets } from '@/lib/config';

// The rotation rule, in one place. Everything keyed by NEXTAUTH_SECRET (session cookies, sealed
// outbox bodies, sealed authenticator seeds, status-link signatures) is made with the current
// secret only, and opened with the current secret, then NEXTAUTH_SECRET_PREVIOUS. The previous
// secret never makes anything, so dropping it after `npm run secrets:reseal` loses nothing made
// since the rotation.

/** What a derived key is for: HKDF salt and info, so that one purpose's key never opens another's. */
export type KeyPurpose = { readonly salt: string; readonly info: string };

/** For libraries that derive their own keys from the secret (next-auth): the secret that makes. */
export function signingSecret(): string {
  return authSecrets()[0];
}

/** For libraries that derive their own keys: the secrets that open, current first. */
export function verifyingSecrets(): readonly string[] {
  return authSecrets();
}

const derived = new Map<string, Buffer>();

function derive(secret: string, purpose: KeyPurpose): Buffer {
  const id = `${purpose.salt}\u0000${purpose.info}\u0000${secret}`;
  // Derived once per secret and purpose: an alert fan-out signs a link for every subscriber.
  let key = derived.get(id);
  if (!key) {
    key = Buffer.from(hkdfSync('sha256', secret, purpose.salt, purpose.info, 32));
    derived.set(id, key);
  }
  return key;
}

/** The key that signs, seals or encrypts for `purpose`: from the current secret only. */
export function signingKey(purpose: KeyPurpose): Buffer {
  return derive(signingSecret(), purpose);
}

/** The keys that verify, unseal or decrypt for `purpose`: the current one first, then the previous one. */
export function verifyingKeys(purpose: KeyPurpose): readonly Buffer[] {
  return verifyingSecrets().map((secret) => derive(secret, purpose));
}

function hmac(key: Buffer, parts: readonly string[]): string {
  return createHmac('sha256', key).update(parts.join('\u0000')).digest('base64url');
}

/** An HMAC-SHA256 over `parts` (NUL-joined, base64url) for `purpose`, under the signing key. */
export function hmacSign(purpose: KeyPurpose, parts: readonly string[]): string {
  return hmac(signingKey(purpose), parts);
}

/** Whether `given` is the HMAC over `parts` under any verifying key: what was signed before a rotation still verifies. */
export function hmacVerify(purpose: KeyPurpose, parts: readonly string[], given: string): boolean {
  const a = Buffer.from(given);
  return verifyingKeys(purpose).some((key) => {
    const b = Buffer.from(hmac(key, parts));
    return a.length === b.length && timingSafeEqual(a, b);
  });
}
