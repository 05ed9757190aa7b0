import 'server-only';
import type { NextAuthOptions } from 'next-auth';
import { decode, type JWT, type JWTDecodeParams } from 'next-auth/jwt';
import { SESSION_ABSOLUTE_MS } from '@/lib/auth/session';
import { config } from '@/lib/config';
import { signingSecret, verifyingSecrets } from '@/lib/crypto/keyring';
import { errorFields, logger } from '@/lib/observability/logger.mjs';
import { servedOverHttps } from '@/lib/security/headers.mjs';

/**
 * next-auth signs and reads the session cookie (a JWT carrying only the server-side session's
 * id). Sign-in itself is our own server action (lib/auth/browser-session.ts), not next-auth's
 * credentials callback, so that it works without JavaScript and passes the same gate as every
 * other form; next-auth's HTTP endpoints are not mounted at all.
 */
export function authOptions(): NextAuthOptions {
  return {
    secret: signingSecret(),
    jwt: { decode: decodeSessionToken },
    useSecureCookies: usesSecureCookies(),
    cookies: { sessionToken: { name: sessionCookieName(), options: sessionCookieOptions() } },
    session: { strategy: 'jwt', maxAge: SESSION_ABSOLUTE_MS / 1000 },
    providers: [],
    logger: {
      // A session cookie that does not open (made up, tampered with, or from before a rotation) is the
      // client's doing, not the server's: it is logged as a warning, without next-auth's stack trace,
      // so that anyone sending junk cookies cannot fill the log with errors and set off alerts.
      error(code, metadata) {
        if (code === 'JWT_SESSION_ERROR') logger.warn({ event: 'auth.session_cookie_unreadable' });
        else logger.error({ event: 'auth.next_auth_error', code, ...errorFields(metadata instanceof Error ? metadata : metadata.error) });
      },
      warn(code) {
        logger.warn({ event: 'auth.next_auth_warning', code });
      },
      debug() {},
    },
    callbacks: {
      // Everything but the session id is read from the database on each request, so nothing
      // in the token can go stale.
      session({ session, token }) {
        return { expires: session.expires, sid: typeof token.sid === 'string' ? token.sid : undefined };
      },
    },
  };
}

/**
 * A cookie made before a rotation (under NEXTAUTH_SECRET_PREVIOUS) still opens. It is not made
 * again under the new secret: getServerSession in server components and actions drops the cookie
 * next-auth re-encodes, so such a session lasts until its own 12 h end, never longer.
 */
export async function decodeSessionToken(params: JWTDecodeParams): Promise<JWT | null> {
  for (const secret of verifyingSecrets()) {
    try {
      const token = await decode({ ...params, secret });
      if (token) return token;
    } catch {
      // Not this secret's token (or expired, or changed): the next secret, or no session.
    }
  }
  return null;
}

/** Cookies marked Secure (and named __Host-…) whenever the portal is served over https. */
export function usesSecureCookies(): boolean {
  return servedOverHttps(config().APP_URL);
}

/**
 * The session cookie's name, which next-auth reads and sign-in sets. Over https it is `__Host-`:
 * a browser takes such a cookie only from this very host (Secure, Path=/, no Domain), so another
 * subdomain of the same site cannot plant one, or one of next-auth's chunks (`<name>.0`), to sign
 * the person out unseen or into an account of its choosing. (`__Secure-` allowed a Domain.)
 */
export function sessionCookieName(): string {
  return usesSecureCookies() ? '__Host-next-auth.session-token' : 'next-auth.session-token';
}

/** The cookie that names this browser to a notice on a page without a session (done-notice.ts). */
export function noticeCookieName(): string {
  return usesSecureCookies() ? '__Host-portal-notice' : 'portal-notice';
}

/** The cookie that makes this browser a known device for the accounts signed in here (known-device.ts). */
export function knownDeviceCookieName(): string {
  return usesSecureCookies() ? '__Host-portal-known-device' : 'portal-known-device';
}

export function sessionCookieOptions() {
  return { httpOnly: true, sameSite: 'lax', secure: usesSecureCookies(), path: '/' } as const;
}
