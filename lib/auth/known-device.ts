import { createHmac, timingSafeEqual } from 'node:crypto';
import { signingKey, verifyingKeys } from '@/lib/crypto/keyring';
import type { PrincipalKind } from '@/lib/auth/password-attempt';

// A browser in which an account has signed in before is a known device for that account (OWASP's
// "device cookies"). An address slowed for failing on many accounts (decision 009), or past its
// failure limit, still gets its password checked for the accounts its browser knows: a colleague
// behind the same office NAT as a spraying machine signs in as usual, while the spray, which knows
// no such account, stays slowed. The account's own lockout applies as always, so a stolen device
// cookie is worth one account's guesses at that account's pace, and nothing else.
//
// The cookie holds no secret of the account: for each of the last few accounts signed in here, the
// account, when, and an HMAC over both under a key derived from NEXTAUTH_SECRET (a rotation's
// previous secret still opens them). Nothing is stored on the server.

const DEVICES = { salt: 'portal-known-device', info: 'known device cookie v1' } as const;
/** How long a sign-in keeps its browser known: about a season, as a person's usual browser. */
export const KNOWN_DEVICE_DAYS = 90;
/** Accounts one browser remembers (a shared office computer), most recent first. */
export const KNOWN_ACCOUNTS_PER_DEVICE = 8;
const SEPARATOR = '~';
const TOKEN = /^(user|vendor)\.([A-Za-z0-9_-]{1,64})\.(\d{1,12})\.([A-Za-z0-9_-]{43})$/;

/** An account as a device cookie names it. */
export type KnownAccount = { kind: PrincipalKind; id: string };
type Token = KnownAccount & { issuedAtSeconds: number; text: string };

function mac(key: Buffer, kind: PrincipalKind, id: string, issuedAtSeconds: number): string {
  return createHmac('sha256', key).update(`${kind}\u0000${id}\u0000${issuedAtSeconds}`).digest('base64url');
}

function signedByAnyKey(token: Token, given: string): boolean {
  const a = Buffer.from(given);
  return verifyingKeys(DEVICES).some((key) => {
    const b = Buffer.from(mac(key, token.kind, token.id, token.issuedAtSeconds));
    return a.length === b.length && timingSafeEqual(a, b);
  });
}

/** The cookie's tokens that are well formed, signed by us and not yet expired; anything else is ignored. */
function validTokens(cookie: string | undefined, now: Date): Token[] {
  const oldest = now.getTime() / 1000 - KNOWN_DEVICE_DAYS * 86_400;
  return (cookie ?? '')
    .split(SEPARATOR)
    .slice(0, KNOWN_ACCOUNTS_PER_DEVICE)
    .flatMap((text) => {
      const [, kind, id, issued, given] = TOKEN.exec(text) ?? [];
      if (!kind || !id || !issued || !given) return [];
      const token: Token = { kind: kind as PrincipalKind, id, issuedAtSeconds: Number(issued), text };
      return token.issuedAtSeconds >= oldest && token.issuedAtSeconds <= now.getTime() / 1000 + 60 && signedByAnyKey(token, given) ? [token] : [];
    });
}

/** Whether the browser that sent `cookie` has signed in as this account within KNOWN_DEVICE_DAYS. */
export function knowsAccount(cookie: string | undefined, account: KnownAccount, now = new Date()): boolean {
  return validTokens(cookie, now).some((token) => token.kind === account.kind && token.id === account.id);
}

/** The cookie's new value once `account` has signed in: its fresh token first, then the others still valid. */
export function rememberAccount(cookie: string | undefined, account: KnownAccount, now = new Date()): string {
  const issuedAtSeconds = Math.floor(now.getTime() / 1000);
  const fresh = `${account.kind}.${account.id}.${issuedAtSeconds}.${mac(signingKey(DEVICES), account.kind, account.id, issuedAtSeconds)}`;
  const others = validTokens(cookie, now)
    .filter((token) => token.kind !== account.kind || token.id !== account.id)
    .map((token) => token.text);
  return [fresh, ...others].slice(0, KNOWN_ACCOUNTS_PER_DEVICE).join(SEPARATOR);
}
