import { createHash, randomBytes } from 'node:crypto';

// The sign-in pages name the browser they are sent to with a random key in a cookie of its own. A sign-in
// form sent twice without JavaScript (a double press, a POST sent again) reaches the server as two sign-ins,
// and the browser keeps only the later answer's cookie: the key tells the second copy from a second sign-in,
// and it is answered with the session the first opened (decision 058, session 45 addendum). The key opens
// nothing: only a copy that proves the same account's password again is answered so.
// Plain JavaScript: server.mjs sets it on the sign-in pages it sends from memory, proxy.ts on those Next.js renders.

const WELL_FORMED = /^[A-Za-z0-9_-]{22}$/;

/** Long enough that a sign-in page left open is still named when its form is sent; it names nothing else. */
export const BROWSER_KEY_MAX_AGE_SECONDS = 30 * 86_400;

/** The bare paths of the sign-in pages that set it. */
export const SIGN_IN_PAGES = new Set(['/login', '/vendor/login']);

/** @param {boolean} secure */
export function browserKeyCookieName(secure) {
  return secure ? '__Host-portal-browser' : 'portal-browser';
}

/** A new key's value: 128 random bits. */
export function newBrowserKey() {
  return randomBytes(16).toString('base64url');
}

/** @param {string | undefined} value */
export function isBrowserKey(value) {
  return value !== undefined && WELL_FORMED.test(value);
}

/**
 * The Set-Cookie header of a new key. Lax: a sign-in page reached by a link from another site must keep
 * the key the browser has, not draw a new one.
 * @param {boolean} secure
 */
export function browserKeyCookie(secure) {
  return `${browserKeyCookieName(secure)}=${newBrowserKey()}; Path=/; Max-Age=${BROWSER_KEY_MAX_AGE_SECONDS}; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`;
}

/**
 * Whether a Cookie header holds a well-formed key, read as the sign-in reads it (Next.js's cookies(): of a
 * name sent twice, the last): a well-formed copy before junk must not keep a new key from being sent (review r45a F2).
 * @param {string | undefined} cookieHeader
 * @param {boolean} secure
 */
export function holdsBrowserKey(cookieHeader, secure) {
  const name = `${browserKeyCookieName(secure)}=`;
  const last = (cookieHeader ?? '')
    .split(';')
    .map((pair) => pair.trim())
    .findLast((pair) => pair.startsWith(name));
  return isBrowserKey(last?.slice(name.length));
}

/**
 * What a session records of the key: its digest, so the table names no cookie a browser holds.
 * @param {string} value
 */
export function browserKeyDigest(value) {
  return createHash('sha256').update(value).digest('base64url');
}
