import 'next-auth';
import 'next-auth/jwt';

declare module 'next-auth' {
  interface Session {
    /** Id of the server-side AuthSession row; the only thing the cookie vouches for. */
    sid?: string;
  }
}

declare module 'next-auth/jwt' {
  interface JWT {
    sid?: string;
    kind?: 'agency' | 'vendor';
  }
}
