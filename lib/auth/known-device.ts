import { hmacSign, hmacVerify } from '@/lib/crypto/keyring';
import type { PrincipalKind } from '@/lib/auth/password-attempt';

// A browser in which an account has signed in before is a known device for that account (OWASP's
// "device cookies"). An address slowed for failing on many accounts (decision 009), or past its
// failure limit, still gets its password checked for the accounts its browser knows: a colleague
// behind the same office NAT as a spraying machine signs in as usual, while the spray, which knows
// no such account, stays slowed. The account's own lockout applies as always, so a stolen device
// cookie is worth one account's guesses at that account's pace, and nothing else.
//
// The cookie holds no secret of the account: for each of the last few accounts signed in here, the
// account, its session version, when, and an HMAC over them under a key derived from NEXTAUTH_SECRET
// (a rotation's previous secret still opens them). Nothing is stored on the server; whatever revokes
// the account's sessions (a password changed or reset, the account disabled) also ends its cookies.

const DEVICES = { salt: 'portal-known-device', info: 'known device cookie v2' } as const;
/** How long a sign-in keeps its browser known: about a season, as a person's usual browser. */
export const KNOWN_DEVICE_DAYS = 90;
/** Accounts one browser remembers (a shared office computer), most recent first. */
export const KNOWN_ACCOUNTS_PER_DEVICE = 8;
const SEPARATOR = '~';
const TOKEN = /^(user|vendor)\.([A-Za-z0-9_-]{1,64})\.(\d{1,9})\.(\d{1,12})\.([A-Za-z0-9_-]{43})$/;
// Tokens read from one cookie, valid or not: bounds the HMACs a made-up cookie costs, and junk in
// front cannot hide the valid ones after it.
const TOKENS_READ = 2 * KNOWN_ACCOUNTS_PER_DEVICE;

/** An account as a device cookie names it: `version` is its session version when it signed in. */
export type KnownAccount = { kind: PrincipalKind; id: string; version: number };
type Token = KnownAccount & { issuedAtSeconds: number; text: string };

const signed = (account: KnownAccount, issuedAtSeconds: number) => [account.kind, account.id, String(account.version), String(issuedAtSeconds)];

/** The cookie's tokens that are well formed, signed by us and not yet expired; anything else is ignored. */
function validTokens(cookie: string | undefined, now: Date): Token[] {
  const oldest = now.getTime() / 1000 - KNOWN_DEVICE_DAYS * 86_400;
  return (cookie ?? '')
    .split(SEPARATOR)
    .slice(0, TOKENS_READ)
    .flatMap((text) => {
      const [, kind, id, version, issued, given] = TOKEN.exec(text) ?? [];
      if (!kind || !id || !version || !issued || !given) return [];
      const token: Token = { kind: kind as PrincipalKind, id, version: Number(version), issuedAtSeconds: Number(issued), text };
      return token.issuedAtSeconds >= oldest && token.issuedAtSeconds <= now.getTime() / 1000 + 60 && hmacVerify(DEVICES, signed(token, token.issuedAtSeconds), given) ? [token] : [];
    })
    .slice(0, KNOWN_ACCOUNTS_PER_DEVICE);
}

const sameAccount = (a: KnownAccount, b: KnownAccount) => a.kind === b.kind && a.id === b.id;

/** Whether the browser that sent `cookie` has signed in as this account within KNOWN_DEVICE_DAYS, since its sessions were last revoked. */
export function knowsAccount(cookie: string | undefined, account: KnownAccount, now = new Date()): boolean {
  return validTokens(cookie, now).some((token) => sameAccount(token, account) && token.version === account.version);
}

/** The account this browser signed in as most recently, by a token still valid (not checked against the account's version); none when it holds none. */
export function lastKnownAccount(cookie: string | undefined, now = new Date()): KnownAccount | null {
  const [token] = validTokens(cookie, now);
  return token ? { kind: token.kind, id: token.id, version: token.version } : null;
}

/** The cookie's new value once `account` has signed in: its fresh token first, then the others still valid. */
export function rememberAccount(cookie: string | undefined, account: KnownAccount, now = new Date()): string {
  const issuedAtSeconds = Math.floor(now.getTime() / 1000);
  const fresh = `${account.kind}.${account.id}.${account.version}.${issuedAtSeconds}.${hmacSign(DEVICES, signed(account, issuedAtSeconds))}`;
  const others = validTokens(cookie, now)
    .filter((token) => !sameAccount(token, account))
    .map((token) => token.text);
  return [fresh, ...others].slice(0, KNOWN_ACCOUNTS_PER_DEVICE).join(SEPARATOR);
}
