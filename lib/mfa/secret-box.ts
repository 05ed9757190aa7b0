import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { authSecret } from '@/lib/config';

// TOTP secrets must be readable by the server (to compute codes), so they cannot be hashed:
// they are sealed with AES-256-GCM under a key derived from NEXTAUTH_SECRET, so a database
// dump alone does not hand out working authenticator seeds.
const PREFIX = 'mfa:v1:';

function key(): Buffer {
  return Buffer.from(hkdfSync('sha256', authSecret(), 'portal-mfa', 'totp secret sealing v1', 32));
}

export function sealFactorSecret(plain: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key(), iv);
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
}

export function unsealFactorSecret(stored: string): string {
  if (!stored.startsWith(PREFIX)) throw new Error('factor secret is not sealed');
  const raw = Buffer.from(stored.slice(PREFIX.length), 'base64');
  const decipher = createDecipheriv('aes-256-gcm', key(), raw.subarray(0, 12));
  decipher.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
}
