import 'server-only';
import { randomBytes } from 'node:crypto';
import { encode } from 'next-auth/jwt';
import { cookies, headers } from 'next/headers';
import { sessionIdInCookie } from '@/lib/auth/guards';
import { browserKeyCookieName, browserKeyDigest, isBrowserKey } from '@/lib/auth/browser-key.mjs';
import { noticeCookieName, sessionCookieName, sessionCookieOptions, usesSecureCookies } from '@/lib/auth/options';
import type { SigningBrowser } from '@/lib/auth/sign-in';
import { endSession, SESSION_ABSOLUTE_MS, signOutSession } from '@/lib/auth/session';
import { hmacSign, signingSecret } from '@/lib/crypto/keyring';
import { SAID_FOR_SECONDS, type Doer } from '@/lib/http/done-notice';
import { clientIpFrom } from '@/lib/http/request-context';

/**
 * Hands the browser a cookie for a server-side session that sign-in has just opened. The session this
 * browser held before (signing in again without signing out, or as someone else on a shared computer)
 * ends: its cookie is replaced here, and a copy of it kept elsewhere must open nothing.
 */
export async function startBrowserSession(sessionId: string, kind: 'agency' | 'vendor'): Promise<void> {
  const jar = await cookies();
  const previous = await sessionIdInCookie();
  if (previous !== null && previous !== sessionId) {
    // Someone's session ends as a sign-out does, on the record (a shared computer: who left, and when);
    // one at its code step (this sign-in's own, or one left there) just ends.
    await signOutSession(previous, clientIpFrom(await headers()), { bySignInHere: true });
    await endSession(previous);
  }
  const maxAge = SESSION_ABSOLUTE_MS / 1000;
  const token = await encode({ token: { sid: sessionId, kind }, secret: signingSecret(), maxAge });
  // No Max-Age: the cookie ends with the browser, so closing it on a shared computer signs out (review r50c F2).
  // The token's own 12 hours and the session's limits on the server hold whatever a browser keeps.
  jar.set(sessionCookieName(), token, sessionCookieOptions());
}

/** Signs the browser out: ends its server-side session (if any, audited) and removes the cookie. */
export async function endBrowserSession(ip: string): Promise<void> {
  const session = await sessionIdInCookie();
  if (session !== null) await signOutSession(session, ip);
  // With the attributes it was set with: a `__Host-` cookie (https) is only ever replaced, removal
  // included, by one that says Secure and Path=/, and a bare delete says neither (review r31b F1).
  (await cookies()).set(sessionCookieName(), '', { ...sessionCookieOptions(), maxAge: 0 });
}

/** This browser as a sign-in it is making sees it (sign-in.ts, SigningBrowser): its key's digest (browser-key.mjs), the session its cookie names. */
export async function signingBrowserHere(): Promise<SigningBrowser> {
  const value = (await cookies()).get(browserKeyCookieName(usesSecureCookies()))?.value;
  return { key: isBrowserKey(value) ? browserKeyDigest(value) : null, sessionHeld: await sessionIdInCookie() };
}

/**
 * The browser an action sends to a page without a session, named by a random value in a cookie of its own that
 * lasts as long as its notice: signed for ANYONE, "your account is locked" or "Request received, your reference
 * is …" was a link an impostor could get and pass on, shown by the genuine portal for ten minutes (review r42a F1).
 * The value a browser holds already is kept (its time renewed): a second notice, from another tab, must not blank
 * the first one's page (review r42f F2). A browser with a session cookie gets a value derived from it, so two tabs
 * that end one session at the same moment (the idle sign-out) get the same one, whichever answer is kept last.
 * Only where a cookie can be set, and before the session cookie is removed: an action or a route handler.
 */
export async function thisBrowserFromNow(): Promise<Doer> {
  const jar = await cookies();
  const held = jar.get(noticeCookieName())?.value;
  const session = await sessionIdInCookie();
  const value =
    held && NOTICE_VALUE.test(held) ? held : session !== null ? hmacSign(NOTICE, [session]).slice(0, 22) : randomBytes(16).toString('base64url');
  jar.set(noticeCookieName(), value, { ...sessionCookieOptions(), maxAge: SAID_FOR_SECONDS });
  return { sessionId: `browser:${value}` };
}

// The shape thisBrowserFromNow gives: a value of another shape (set by no action of ours) is replaced, not reused.
const NOTICE_VALUE = /^[A-Za-z0-9_-]{22}$/;
const NOTICE = { salt: 'portal-notice-browser', info: 'notice browser v1' } as const;

/** The browser reading a page, as thisBrowserFromNow named it; one without the cookie is named as no action ever signs. */
export async function thisBrowser(): Promise<Doer> {
  return { sessionId: `browser:${(await cookies()).get(noticeCookieName())?.value ?? ''}` };
}
