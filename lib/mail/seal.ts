import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { authSecret } from '@/lib/config';

// Mail that carries a secret (a reset link) waits in the outbox sealed with AES-256-GCM under
// a key derived from NEXTAUTH_SECRET, so a database dump does not hand out working links.
const PREFIX = 'sealed:v1:';

function key(): Buffer {
  return Buffer.from(hkdfSync('sha256', authSecret(), 'portal-outbox', 'outbox body sealing v1', 32));
}

export function seal(plain: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key(), iv);
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
}

export function unseal(stored: string): string {
  if (!stored.startsWith(PREFIX)) return stored;
  const raw = Buffer.from(stored.slice(PREFIX.length), 'base64');
  const decipher = createDecipheriv('aes-256-gcm', key(), raw.subarray(0, 12));
  decipher.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
}

export function isSealed(stored: string): boolean {
  return stored.startsWith(PREFIX);
}
