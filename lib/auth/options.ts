import type { NextAuthOptions } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import { SESSION_ABSOLUTE_MS, endSession } from '@/lib/auth/session';
import { signInAgencyUser, signInVendorAccount, type SignInResult } from '@/lib/auth/sign-in';
import { authSecret } from '@/lib/config';
import { clientIpFrom } from '@/lib/http/client-ip';

type PrincipalKind = 'agency' | 'vendor';

function toNextAuthUser(result: SignInResult, kind: PrincipalKind) {
  // next-auth hands a thrown message to the client as `error`: only these codes ever cross.
  if (!result.ok) throw new Error(result.reason);
  return { id: result.sessionId, kind };
}

export function authOptions(): NextAuthOptions {
  return {
    secret: authSecret(),
    session: { strategy: 'jwt', maxAge: SESSION_ABSOLUTE_MS / 1000 },
    pages: { signIn: '/login', error: '/login' },
    providers: [
      CredentialsProvider({
        id: 'agency',
        name: 'Provider staff',
        credentials: { providerCode: {}, loginName: {}, password: {} },
        authorize: async (credentials, req) =>
          toNextAuthUser(await signInAgencyUser(credentials, clientIpFrom(req.headers ?? {})), 'agency'),
      }),
      CredentialsProvider({
        id: 'vendor',
        name: 'Vendor staff',
        credentials: { email: {}, password: {} },
        authorize: async (credentials, req) =>
          toNextAuthUser(await signInVendorAccount(credentials, clientIpFrom(req.headers ?? {})), 'vendor'),
      }),
    ],
    callbacks: {
      // The token carries only the server-side session's id; everything else is read
      // from the database on each request, so nothing in it can go stale.
      jwt({ token, user }) {
        if (user) {
          token.sid = user.id;
          token.kind = (user as { kind?: PrincipalKind }).kind;
        }
        return token;
      },
      session({ session, token }) {
        return { expires: session.expires, sid: typeof token.sid === 'string' ? token.sid : undefined };
      },
    },
    events: {
      async signOut({ token }) {
        if (typeof token?.sid === 'string') await endSession(token.sid);
      },
    },
  };
}
