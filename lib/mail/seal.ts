import { isSealedIn, resealIn, sealIn, unsealIn, type SealBox } from '@/lib/crypto/seal';

// Mail that carries a secret (a reset link) waits in the outbox sealed, so a database dump does
// not hand out working links. Salt and info are those of every body sealed so far.
export const OUTBOX_BOX: SealBox = { prefix: 'sealed:v1:', salt: 'portal-outbox', info: 'outbox body sealing v1' };

export function seal(plain: string): string {
  return sealIn(OUTBOX_BOX, plain);
}

/** The body as sent: unsealed when sealed, as stored otherwise (messages without a secret). */
export function unseal(stored: string): string {
  return isSealed(stored) ? unsealIn(OUTBOX_BOX, stored) : stored;
}

export function isSealed(stored: string): boolean {
  return isSealedIn(OUTBOX_BOX, stored);
}

/** A sealed body under the current key, or null when it needs nothing (already current, or not sealed). */
export function resealBody(stored: string): string | null {
  return isSealed(stored) ? resealIn(OUTBOX_BOX, stored) : null;
}
