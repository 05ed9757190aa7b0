import 'server-only';
import { cookies } from 'next/headers';
import { knowsAccount, KNOWN_DEVICE_DAYS, lastKnownAccount, rememberAccount, type KnownAccount } from '@/lib/auth/known-device';
import { knownDeviceCookieName, sessionCookieOptions } from '@/lib/auth/options';
import { sessionStillAt } from '@/lib/auth/own-change';
import type { Actor } from '@/lib/auth/session';
import type { KnowsAccount } from '@/lib/auth/sign-in';
import { ownerOf } from '@/lib/mfa/account';
import { errorFields, logger } from '@/lib/observability/logger.mjs';

// This request's browser and the accounts it has signed in as before: the known-device cookie
// (known-device.ts; decisions 062, 065), read and written only here.

/** Which accounts this browser has signed in as before, for the sign-in it is making. */
export async function accountsKnownHere(): Promise<KnowsAccount> {
  const cookie = await knownDeviceCookie();
  return (account) => knowsAccount(cookie, account);
}

/** The account this browser signed in as most recently, before any account is named. */
export async function lastAccountKnownHere(): Promise<KnownAccount | null> {
  return lastKnownAccount(await knownDeviceCookie());
}

/** Whether this browser has signed in as the session's account before, at the session's version (guards.ts, getActor). */
export async function presentedByKnownBrowser(actor: Actor): Promise<boolean> {
  return actor.resolvedAtVersion !== undefined && knowsAccount(await knownDeviceCookie(), { ...ownerOf(actor), version: actor.resolvedAtVersion });
}

/** Makes this browser a known device for an account that has just proved its password or passkey here. */
export async function rememberAccountHere(account: KnownAccount): Promise<void> {
  const jar = await cookies();
  const value = rememberAccount(jar.get(knownDeviceCookieName())?.value, account);
  // Strict: only the portal's own forms ever send it; it opens nothing, it only lets an attempt be checked.
  jar.set(knownDeviceCookieName(), value, { ...sessionCookieOptions(), sameSite: 'strict', maxAge: KNOWN_DEVICE_DAYS * 86_400 });
}

/**
 * After an action of a session presented by a known browser: when the action itself moved the account's session
 * version and the session with it (`moved`, own-change.ts: a password changed, a factor added or removed, new
 * recovery codes), the browser's token is given again at that version, once the session is seen at it (the change
 * committed, and no later one moved it on). Otherwise the owner's own browser would be a stranger's until its next
 * sign-in, on the strangers' lane of the next form (review r46a F1). Sessions and browsers the change ended keep
 * nothing (decision 062, session 26 addendum); a browser that held no token, the session cookie copied alone, gets
 * none. At worst (the database gone) the browser stays unknown: logged, not thrown.
 */
export async function keepKnownAcrossOwnChange(actor: Actor, moved: { sessionId: string; version: number; from?: number } | null): Promise<void> {
  if (!actor.fromKnownBrowser || moved?.sessionId !== actor.sessionId) return;
  // A form's first copy's move, told to a copy of it: only one read before that move, at the version it moved from.
  if (moved.from !== undefined && moved.from !== actor.resolvedAtVersion) return;
  try {
    if (!(await sessionStillAt(actor.sessionId, moved.version))) return;
    await rememberAccountHere({ ...ownerOf(actor), version: moved.version });
  } catch (error) {
    logger.warn({ event: 'known_browser.renew_failed', ...errorFields(error) });
  }
}

async function knownDeviceCookie(): Promise<string | undefined> {
  return (await cookies()).get(knownDeviceCookieName())?.value;
}
