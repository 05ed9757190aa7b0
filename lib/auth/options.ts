import 'server-only';
import type { NextAuthOptions } from 'next-auth';
import { SESSION_ABSOLUTE_MS } from '@/lib/auth/session';
import { authSecret, config } from '@/lib/config';

/**
 * next-auth signs and reads the session cookie (a JWT carrying only the server-side session's
 * id). Sign-in itself is our own server action (lib/auth/browser-session.ts), not next-auth's
 * credentials callback, so that it works without JavaScript and passes the same gate as every
 * other form; next-auth's HTTP endpoints are not mounted at all.
 */
export function authOptions(): NextAuthOptions {
  return {
    secret: authSecret(),
    useSecureCookies: usesSecureCookies(),
    session: { strategy: 'jwt', maxAge: SESSION_ABSOLUTE_MS / 1000 },
    providers: [],
    callbacks: {
      // Everything but the session id is read from the database on each request, so nothing
      // in the token can go stale.
      session({ session, token }) {
        return { expires: session.expires, sid: typeof token.sid === 'string' ? token.sid : undefined };
      },
    },
  };
}

/** Cookies marked Secure (and named __Secure-…) whenever the portal is served over https. */
export function usesSecureCookies(): boolean {
  return config().APP_URL.startsWith('https:');
}
