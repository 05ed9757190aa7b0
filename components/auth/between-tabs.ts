/**
 * What the portal's tabs in one browser tell each other, through localStorage: the one place for
 * its keys. A browser that refuses storage (a locked-down one) shares nothing; each tab then goes by
 * what it sees itself.
 */
export const LAST_ACTIVITY = 'carenotes:last-activity';
/** Written by the sign-out button as it posts; the other tabs hear it (the `storage` event) and leave. */
export const SIGNED_OUT = 'carenotes:signed-out';
/** Written by every signed-in page: the mark of the account it was drawn for (lib/http/form-key.ts, tabMarkOf). */
export const SIGNED_IN_AS = 'carenotes:signed-in-as';

export function readShared(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

export function writeShared(key: string, value: string) {
  try {
    localStorage.setItem(key, value);
  } catch {
    // as above
  }
}

export function forgetShared(key: string) {
  try {
    localStorage.removeItem(key);
  } catch {
    // as above
  }
}
