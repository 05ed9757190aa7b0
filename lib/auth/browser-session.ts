import 'server-only';
import { getServerSession } from 'next-auth';
import { encode } from 'next-auth/jwt';
import { cookies } from 'next/headers';
import { knowsAccount, KNOWN_DEVICE_DAYS, rememberAccount, type KnownAccount } from '@/lib/auth/known-device';
import { authOptions, decodeSessionToken, knownDeviceCookieName, sessionCookieName, sessionCookieOptions } from '@/lib/auth/options';
import type { KnowsAccount } from '@/lib/auth/sign-in';
import { endSession, SESSION_ABSOLUTE_MS, signOutSession } from '@/lib/auth/session';
import { signingSecret } from '@/lib/crypto/keyring';

/**
 * Hands the browser a cookie for a server-side session that sign-in has just opened. The session this
 * browser held before (signing in again without signing out, or as someone else on a shared computer)
 * ends: its cookie is replaced here, and a copy of it kept elsewhere must open nothing.
 */
export async function startBrowserSession(sessionId: string, kind: 'agency' | 'vendor'): Promise<void> {
  const jar = await cookies();
  const before = jar.get(sessionCookieName())?.value;
  const previous = before ? (await decodeSessionToken({ token: before, secret: signingSecret() }))?.sid : undefined;
  if (typeof previous === 'string' && previous !== sessionId) await endSession(previous);
  const maxAge = SESSION_ABSOLUTE_MS / 1000;
  const token = await encode({ token: { sid: sessionId, kind }, secret: signingSecret(), maxAge });
  jar.set(sessionCookieName(), token, { ...sessionCookieOptions(), maxAge });
}

/** Signs the browser out: ends its server-side session (if any, audited) and removes the cookie. */
export async function endBrowserSession(ip: string): Promise<void> {
  const session = await getServerSession(authOptions());
  if (session?.sid) await signOutSession(session.sid, ip);
  // With the attributes it was set with: a `__Host-` cookie (https) is only ever replaced, removal
  // included, by one that says Secure and Path=/, and a bare delete says neither (review r31b F1).
  (await cookies()).set(sessionCookieName(), '', { ...sessionCookieOptions(), maxAge: 0 });
}

/** Which accounts this browser has signed in as before (known-device.ts), for the sign-in it is making. */
export async function accountsKnownHere(): Promise<KnowsAccount> {
  const cookie = (await cookies()).get(knownDeviceCookieName())?.value;
  return (account) => knowsAccount(cookie, account);
}

/** Makes this browser a known device for an account that has just proved its password or passkey here. */
export async function rememberAccountHere(account: KnownAccount): Promise<void> {
  const jar = await cookies();
  const value = rememberAccount(jar.get(knownDeviceCookieName())?.value, account);
  // Strict: only the portal's own forms ever send it; it opens nothing, it only lets an attempt be checked.
  jar.set(knownDeviceCookieName(), value, { ...sessionCookieOptions(), sameSite: 'strict', maxAge: KNOWN_DEVICE_DAYS * 86_400 });
}
