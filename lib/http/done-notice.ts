import 'server-only';
import { hmacSign, hmacVerify } from '@/lib/crypto/keyring';

// After an action done without JavaScript (and the queue's actions with it), the browser is sent to
// the page with `?done=<name>`, and the page says what was done. The name is signed with the page's
// path, the session that did it and the second it was done: a link from anywhere else, or a colleague's
// own, cannot make a console page tell someone that they approved a request or mailed a reset link when
// they did not, and a bookmark of it says nothing later.
const DONE = { salt: 'portal-done-notice', info: 'done notice v1' } as const;
/** How long after the action its page still says it was done (a reload, a slow redirect). */
export const SAID_FOR_SECONDS = 10 * 60;

/** Whose notice it is: the session that did the action, and the only one its page says it to. */
export type Doer = { sessionId: string };

/**
 * The doer on a public page, where there is no session: its notice proves only that the portal sent someone
 * there, just now, and anyone may pass its link on. Only for what is harmless said to anyone (a code step that
 * ran out of time); else the browser itself (thisBrowserFromNow, lib/auth/browser-session.ts).
 */
export const ANYONE: Doer = { sessionId: '' };

/** The page at `pathname`, saying to `doer` that they just did the action `name` there. */
export function donePath(pathname: string, name: string, doer: Doer, now = new Date()): string {
  const at = String(Math.floor(now.getTime() / 1000));
  return `${pathname}?done=${encodeURIComponent(`${name}.${at}.${hmacSign(DONE, [pathname, name, at, doer.sessionId])}`)}`;
}

/** The action a page's `done` says `viewer` did at `pathname`, when the portal sent them there within SAID_FOR_SECONDS; else undefined. */
export function doneAt(pathname: string, done: string | undefined, viewer: Doer, now = new Date()): string | undefined {
  const [name, at, signature, ...more] = (done ?? '').split('.');
  if (!name || !at || !signature || more.length > 0 || !/^\d{1,12}$/.test(at)) return undefined;
  const age = now.getTime() / 1000 - Number(at);
  if (age < -60 || age > SAID_FOR_SECONDS) return undefined;
  return hmacVerify(DONE, [pathname, name, at, viewer.sessionId], signature) ? name : undefined;
}
