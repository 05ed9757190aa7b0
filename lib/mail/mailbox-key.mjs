// The demo's local mailbox answers only at an address holding this key (review r32a: a relay on the
// machine that names no proxy makes a remote client look local). Derived from NEXTAUTH_SECRET, so
// `npm run demo` can print the address and nothing is stored; a new secret makes a new key.
import { createHmac, timingSafeEqual } from 'node:crypto';

export function mailboxKeyFor(secret) {
  return createHmac('sha256', secret).update('carenotes local mailbox').digest('base64url');
}

/** Whether `given` (from the address) is the key, compared in constant time. */
export function isMailboxKey(secret, given) {
  const key = Buffer.from(mailboxKeyFor(secret));
  const candidate = Buffer.from(typeof given === 'string' ? given : '');
  return candidate.length === key.length && timingSafeEqual(candidate, key);
}
