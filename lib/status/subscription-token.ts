import { hmacSign, hmacVerify } from '@/lib/crypto/keyring';
import { CONFIRM_LINK_LIFETIME_MS } from '@/lib/status/confirm-link-lifetime';

// No token is stored: a link carries the subscriber id and an HMAC over (purpose, id, …) under a key
// derived from NEXTAUTH_SECRET, so a database dump hands out no working link, and a confirm
// link cannot be used to unsubscribe or the other way round.
const LINKS = { salt: 'portal-status', info: 'status subscription links v1' } as const;

const sign = (...parts: string[]) => hmacSign(LINKS, parts);
// Links in mail already sent were signed before a rotation: any key that verifies accepts them.
const signedByAnyKey = (given: string, ...parts: string[]) => hmacVerify(LINKS, parts, given);

// Unsubscribe links never expire: an alert read a year later must still stop the alerts. The
// signed text is unchanged since v1, so links in mail already sent keep working.
export function unsubscribeToken(subscriberId: string): string {
  return sign('unsubscribe', subscriberId);
}

export function isValidUnsubscribeToken(subscriberId: string, token: string): boolean {
  return signedByAnyKey(token, 'unsubscribe', subscriberId);
}

/** Path (with query) of the link in every alert; build absolute links with absoluteUrl. */
export function unsubscribePath(subscriberId: string): string {
  return `/status/unsubscribe?${new URLSearchParams({ s: subscriberId, t: unsubscribeToken(subscriberId) })}`;
}

// A confirm link signs the second it was issued, so the link itself tells "expired" from "forged"
// even after the expired row is gone, and an old link never comes back to life.
export function confirmToken(subscriberId: string, issuedAtSeconds: number): string {
  return sign('confirm', subscriberId, String(issuedAtSeconds));
}

export type ConfirmLink = { s: string; e: string; t: string };
export type ConfirmLinkCheck = 'valid' | 'expired' | 'invalid';

export function checkConfirmLink(link: ConfirmLink, now = new Date()): ConfirmLinkCheck {
  if (!/^\d{1,12}$/.test(link.e)) return 'invalid';
  const issuedAtSeconds = Number(link.e);
  if (!signedByAnyKey(link.t, 'confirm', link.s, String(issuedAtSeconds))) return 'invalid';
  return now.getTime() - issuedAtSeconds * 1000 >= CONFIRM_LINK_LIFETIME_MS ? 'expired' : 'valid';
}

export function confirmPath(subscriberId: string, issuedAt: Date): string {
  const e = Math.floor(issuedAt.getTime() / 1000);
  return `/status/subscribe/confirm?${new URLSearchParams({ s: subscriberId, e: String(e), t: confirmToken(subscriberId, e) })}`;
}
