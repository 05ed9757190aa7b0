import { resealIn, sealIn, unsealIn, type SealBox } from '@/lib/crypto/seal';

// TOTP secrets must be readable by the server (to compute codes), so they cannot be hashed:
// they are sealed, so a database dump alone does not hand out working authenticator seeds.
// Salt and info are those of every seed sealed so far.
export const FACTOR_SECRET_BOX: SealBox = { prefix: 'mfa:v1:', salt: 'portal-mfa', info: 'totp secret sealing v1' };

export function sealFactorSecret(plain: string): string {
  return sealIn(FACTOR_SECRET_BOX, plain);
}

export function unsealFactorSecret(stored: string): string {
  return unsealIn(FACTOR_SECRET_BOX, stored);
}

/** The seed sealed under the current key, or null when it already is. */
export function resealFactorSecret(stored: string): string | null {
  return resealIn(FACTOR_SECRET_BOX, stored);
}
