import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { signingKey, verifyingKeys, type KeyPurpose } from '@/lib/crypto/keyring';

// AES-256-GCM for values the server must read back (mail bodies holding a link, authenticator
// seeds), so that a database dump alone hands out nothing that works. Stored as
// `<prefix><base64 of iv (12) | tag (16) | ciphertext>`: the layout of every value sealed so far.

/** One kind of sealed value: its stored prefix and the purpose its key is derived for. */
export type SealBox = KeyPurpose & { readonly prefix: string };

const IV_BYTES = 12;
const TAG_BYTES = 16;

export function isSealedIn(box: SealBox, stored: string): boolean {
  return stored.startsWith(box.prefix);
}

export function sealIn(box: SealBox, plain: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', signingKey(box), iv);
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return box.prefix + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
}

function openWith(key: Buffer, raw: Buffer): string | null {
  const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES));
  decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  try {
    return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
  } catch {
    // The tag does not match this key: another key's value, or a changed one.
    return null;
  }
}

/** The plain text and whether the current key opened it; throws when no key opens it (tampered, or sealed under a key that is gone). */
export function openIn(box: SealBox, stored: string): { plain: string; current: boolean } {
  if (!isSealedIn(box, stored)) throw new Error(`not a sealed value (expected ${box.prefix})`);
  const raw = Buffer.from(stored.slice(box.prefix.length), 'base64');
  if (raw.length < IV_BYTES + TAG_BYTES) throw new Error('sealed value is truncated');
  const keys = verifyingKeys(box);
  for (const [index, key] of keys.entries()) {
    const plain = openWith(key, raw);
    if (plain !== null) return { plain, current: index === 0 };
  }
  throw new Error('sealed value opens with neither NEXTAUTH_SECRET nor NEXTAUTH_SECRET_PREVIOUS (changed, or sealed under another secret)');
}

export function unsealIn(box: SealBox, stored: string): string {
  return openIn(box, stored).plain;
}

/** The value sealed again under the current key, or null when the current key already seals it. */
export function resealIn(box: SealBox, stored: string): string | null {
  const { plain, current } = openIn(box, stored);
  return current ? null : sealIn(box, plain);
}
