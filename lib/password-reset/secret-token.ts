import { createHash, randomBytes } from 'node:crypto';

// 256 bits from the OS generator, URL-safe: the link carries it in its path.
const TOKEN_BYTES = 32;
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** A new single-use secret for a link (reset, "this wasn't me"). Only its hash is ever stored. */
export function newSecretToken(): string {
  return randomBytes(TOKEN_BYTES).toString('base64url');
}

/** SHA-256 hex: what the database holds. A fast hash is enough: the token has 256 bits of entropy. */
export function hashSecretToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Cheap shape check, so a malformed path never reaches the database. */
export function looksLikeSecretToken(value: string): boolean {
  return TOKEN_PATTERN.test(value);
}
