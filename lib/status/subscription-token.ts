import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { authSecret } from '@/lib/config';

export type SubscriptionPurpose = 'confirm' | 'unsubscribe';

// No token is stored: a link carries the subscriber id and an HMAC over (purpose, id) under a key
// derived from NEXTAUTH_SECRET, so a database dump hands out no working link, and a confirm
// link cannot be used to unsubscribe or the other way round.
let derived: { secret: string; key: Buffer } | undefined;

function key(): Buffer {
  const secret = authSecret();
  // Derived once per secret: an alert fan-out signs a link for every subscriber.
  if (derived?.secret !== secret) {
    derived = { secret, key: Buffer.from(hkdfSync('sha256', secret, 'portal-status', 'status subscription links v1', 32)) };
  }
  return derived.key;
}

export function subscriptionToken(subscriberId: string, purpose: SubscriptionPurpose): string {
  return createHmac('sha256', key()).update(`${purpose}\u0000${subscriberId}`).digest('base64url');
}

export function isValidSubscriptionToken(subscriberId: string, purpose: SubscriptionPurpose, token: string): boolean {
  const expected = Buffer.from(subscriptionToken(subscriberId, purpose));
  const given = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Path (with query) of a subscriber's confirm or unsubscribe link; build absolute links with absoluteUrl. */
export function subscriptionPath(subscriberId: string, purpose: SubscriptionPurpose): string {
  const query = new URLSearchParams({ s: subscriberId, t: subscriptionToken(subscriberId, purpose) });
  return `${purpose === 'confirm' ? '/status/subscribe/confirm' : '/status/unsubscribe'}?${query}`;
}
