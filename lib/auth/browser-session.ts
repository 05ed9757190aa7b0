import 'server-only';
import { getServerSession } from 'next-auth';
import { encode } from 'next-auth/jwt';
import { cookies } from 'next/headers';
import { authOptions, sessionCookieName, sessionCookieOptions } from '@/lib/auth/options';
import { endSession, SESSION_ABSOLUTE_MS } from '@/lib/auth/session';
import { signingSecret } from '@/lib/crypto/keyring';

/** Hands the browser a cookie for a server-side session that sign-in has just opened. */
export async function startBrowserSession(sessionId: string, kind: 'agency' | 'vendor'): Promise<void> {
  const maxAge = SESSION_ABSOLUTE_MS / 1000;
  const token = await encode({ token: { sid: sessionId, kind }, secret: signingSecret(), maxAge });
  (await cookies()).set(sessionCookieName(), token, { ...sessionCookieOptions(), maxAge });
}

/** Ends the current server-side session (if any) and removes the cookie. */
export async function endBrowserSession(): Promise<void> {
  const session = await getServerSession(authOptions());
  if (session?.sid) await endSession(session.sid);
  (await cookies()).delete(sessionCookieName());
}
