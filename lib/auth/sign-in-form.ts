import 'server-only';
import { redirect } from 'next/navigation';
import { z } from 'zod';
import { ADMIN_ACCESS, POLICY_ACCESS } from '@/lib/admin/access';
import { holdsRole, NEXT_STEP_PATH, type Access } from '@/lib/auth/access';
import { SIGN_IN_PAGES } from '@/lib/auth/browser-key.mjs';
import { signingBrowserHere, startBrowserSession, thisBrowserFromNow } from '@/lib/auth/browser-session';
import { rememberAccountHere } from '@/lib/auth/known-browser';
import { sessionIdInCookie, type ActionState } from '@/lib/auth/guards';
import type { SignInResult } from '@/lib/auth/sign-in';
import { SECOND_FACTOR_LOCKED, SIGN_IN_PATH, signInMessage, TEMPORARY_PASSWORD_NOTICE } from '@/lib/auth/sign-in-messages';
import { config } from '@/lib/config';
import { donePath } from '@/lib/http/done-notice';
import { callbackUrlField, safeRedirectPath } from '@/lib/http/safe-redirect';
import type { Role, VendorRole } from '@/lib/generated/sqlite/enums';
import { PASSKEY_SUSPENDED_MESSAGE } from '@/lib/mfa/suspend-passkey';
import { codeStepDoneBy, sessionCodeStepOpenedHere, type VerifyOutcome } from '@/lib/mfa/verify-sign-in-second-factor';
import { OPERATOR_ACCESS } from '@/lib/status/operator-access';
import { VERIFIER_ACCESS } from '@/lib/super-admin/verifier-guard';
import { PASSWORD_TOO_LONG } from '@/lib/validation/identifiers';

// What the sign-in forms post. Only presence and size are checked here; the sign-in itself
// normalises and validates, so every bad identifier gets the same treatment on every path.
const password = z.string().min(1, 'Enter your password').max(4096, PASSWORD_TOO_LONG);

export const agencySignInFormSchema = z.object({
  providerCode: z.string().trim().min(1, 'Enter your provider code, for example ACME-NY').max(200, 'That provider code is too long'),
  loginName: z.string().trim().min(1, 'Enter your login name').max(200, 'That login name is too long'),
  password,
  callbackUrl: callbackUrlField,
});

export const vendorSignInFormSchema = z.object({
  email: z.string().trim().min(1, 'Enter your work e-mail address').max(320, 'That e-mail address is too long'),
  password,
});

export const AFTER_SIGN_IN = { agency: '/account', vendor: '/vendor' } as const;

/** Who a sign-in opened a session for: where it may continue depends on the role. */
export type SignedIn = { kind: 'agency' | 'vendor'; role: Role | VendorRole };

/**
 * The sections a sign-in may continue to, each with the gate of its pages: the signed-in pages
 * the sign-in page is sent from. Another audience's page, a section the person's role does not
 * open, a route's JSON or a secret-link page would be a dead end, or an "access denied" recorded
 * against the person who was only signing in. A path belongs to the longest root it lies under.
 */
const SECTIONS: Record<SignedIn['kind'], readonly { root: string; access: Access }[]> = {
  agency: [
    { root: '/account', access: { principal: 'agency' } },
    { root: '/admin', access: ADMIN_ACCESS },
    // The policy page is the one console page a role of the console may not open.
    { root: '/admin/policy', access: POLICY_ACCESS },
  ],
  vendor: [
    { root: '/vendor', access: { principal: 'vendor' } },
    { root: '/vendor/queue', access: VERIFIER_ACCESS },
    { root: '/vendor/status', access: OPERATOR_ACCESS },
  ],
};
/**
 * Route handlers among those pages: a download, not a page. A sign-in link must not make the browser
 * fetch an export in the person's name the moment they sign in. (lib/auth/sign-in-form.test.ts
 * finds every route handler of the app, so a new one cannot be missed here.)
 */
const NOT_PAGES = ['/admin/audit/export', '/vendor/queue/export'];
// No page of these sections has a dot in its last segment: such an address is a file, or a page's
// router data (`/account/security.rsc`), which a browser would show as raw text.
const NAMES_A_FILE = /\.[^/]*$/;

const isUnder = (pathname: string, root: string) => pathname === root || pathname.startsWith(`${root}/`);

/**
 * Where a sign-in may continue to: a page of its audience's sections, or the audience's home. Given
 * only the audience (the sign-in pages, which carry the callback before anyone is known), any of its
 * sections; given the person, only those their role opens (every last step of a sign-in).
 */
export function afterSignInPath(who: SignedIn | SignedIn['kind'], callback: string | undefined): string {
  const kind = typeof who === 'string' ? who : who.kind;
  const home = AFTER_SIGN_IN[kind];
  const sections = SECTIONS[kind];
  const path = safeRedirectPath(callback, config().APP_URL, home, sections.map((section) => section.root));
  const { pathname } = new URL(path, 'http://portal.invalid');
  // The sign-in's own pages (and steps under them) lie under the vendor section's root: signed in, the person would
  // see an empty sign-in form (review r45c F1).
  if ([...NOT_PAGES, ...SIGN_IN_PAGES].some((route) => isUnder(pathname, route)) || NAMES_A_FILE.test(pathname)) return home;
  if (typeof who === 'string') return path;
  const section = sections.filter((each) => isUnder(pathname, each.root)).sort((a, b) => b.root.length - a.root.length)[0];
  return section && holdsRole(section.access, who.role) ? path : home;
}

/**
 * Ends a form sign-in: a refusal becomes the one message the person may see (with what they
 * typed, never the password), or each field's own for input no account could have; a success gets
 * its cookie and continues to a safe path.
 */
export async function finishFormSignIn(
  result: SignInResult,
  kind: 'agency' | 'vendor',
  typed: Record<string, string>,
  callback?: string,
): Promise<ActionState> {
  if (!result.ok) return { ok: false, message: signInMessage(result.reason, result.retryAfterSeconds, kind), fieldErrors: result.fieldErrors, values: typed };
  await startBrowserSession(result.sessionId, kind);
  // A browser becomes a known device (decision 062) once the whole sign-in is done: the password alone
  // of an account with a second factor must not let its code be guessed past the address's limit.
  if (!result.secondFactorPending) await rememberAccountHere(result.account);
  const next = afterSignInPath({ kind, role: result.role }, callback);
  if (!result.secondFactorPending) redirect(next);
  // The code step carries on to where the sign-in was going.
  const verify = NEXT_STEP_PATH[kind]['second-factor-required'];
  redirect(next === AFTER_SIGN_IN[kind] ? verify : `${verify}?callbackUrl=${encodeURIComponent(next)}`);
}

/**
 * Ends a passwordless sign-in: the passkey with user verification was both factors, so the
 * session is full at once (never held for /login/verify) and gets its cookie the same way.
 */
export async function finishPasskeySignIn(result: SignInResult, kind: 'agency' | 'vendor', callback?: string): Promise<ActionState> {
  if (!result.ok) return { ok: false, message: signInMessage(result.reason, result.retryAfterSeconds, kind) };
  await startBrowserSession(result.sessionId, kind);
  await rememberAccountHere(result.account);
  redirect(afterSignInPath({ kind, role: result.role }, callback));
}

type SecondFactorRefusal = Exclude<VerifyOutcome, { ok: true }>['reason'];

// The refusals that end the pending session, each with the notice the sign-in page says it with.
const SESSION_ENDED_NOTICE = { LOCKED: SECOND_FACTOR_LOCKED, ...TEMPORARY_PASSWORD_NOTICE } as const;

function endsTheSession(reason: SecondFactorRefusal): reason is keyof typeof SESSION_ENDED_NOTICE {
  return Object.hasOwn(SESSION_ENDED_NOTICE, reason);
}

// The refusals said on the code step itself; NOT_PENDING and those that end the session leave it (finishSecondFactor).
const SECOND_FACTOR_MESSAGES: Record<Exclude<SecondFactorRefusal, 'NOT_PENDING' | keyof typeof SESSION_ENDED_NOTICE>, string> = {
  PASSKEY_REQUIRED: 'Your agency requires administrators to finish signing in with a passkey. Use your passkey, or a recovery code if you lost it.',
  THROTTLED: signInMessage('THROTTLED'),
  WRONG_CODE: 'That code is not right, or it was already used. Type the code your app shows now.',
  PASSKEY_REFUSED: 'The passkey was not accepted. Try it again, or type the code your app shows now.',
  PASSKEY_SUSPENDED: PASSKEY_SUSPENDED_MESSAGE,
  STILL_UNDER_WAY: 'Your last try at this step is still being finished. Wait two minutes, then type the code your app shows then, or use your passkey again.',
};

/**
 * Where a copy of a code step's press goes that came once the first had signed in and ended the pending
 * session (a double click without JavaScript, its second copy late): on where the sign-in was going, as the
 * first did, not to the sign-in page (review r41j F1; found late by a full run on a loaded machine).
 */
export function codeStepCopyLanding(kind: SignedIn['kind']) {
  return async (sent: Record<string, string>): Promise<string | null> => {
    const sid = await sessionIdInCookie();
    const who = sid === null ? null : await codeStepDoneBy(sid);
    if (who?.kind !== kind) return null;
    await takeSessionCodeStepOpenedHere(sid!, kind);
    return afterSignInPath(who, sent.callbackUrl);
  };
}

/**
 * A copy of a code step's press, from the browser the step was done in moments ago: it gets the session that step
 * opened, whose cookie the browser may have dropped with the first answer (review r55c F1). Anyone else, nothing.
 */
async function takeSessionCodeStepOpenedHere(pendingSessionId: string, kind: SignedIn['kind']): Promise<void> {
  const opened = await sessionCodeStepOpenedHere(pendingSessionId, (await signingBrowserHere()).key);
  if (!opened) return;
  await startBrowserSession(opened.sessionId, kind);
  await rememberAccountHere(opened.account);
}

/**
 * Ends a sign-in's second step: a full session gets its cookie and goes where the sign-in was going
 * (or home); a session no longer waiting for its factor (it passed in another tab) goes there too;
 * one that locked the account, or whose temporary password another sign-in claimed or that ended
 * meanwhile, goes to the sign-in page, saying so (the code step is no longer open to it, and without
 * JavaScript its page would be rendered again, for a session that has ended); any other refusal is
 * said on the code step.
 */
export async function finishSecondFactor(outcome: VerifyOutcome, who: SignedIn & { sessionId: string }, callback?: string): Promise<ActionState> {
  if (outcome.ok) {
    await startBrowserSession(outcome.sessionId, who.kind);
    await rememberAccountHere(outcome.account);
    redirect(afterSignInPath(who, callback));
  }
  // Passed in another tab, or by the first copy of a press sent twice (a double click without JavaScript):
  // it goes on where the sign-in was going, as that copy did (review r41j F1), with its session (r55c F1).
  if (outcome.reason === 'NOT_PENDING') {
    await takeSessionCodeStepOpenedHere(who.sessionId, who.kind);
    redirect(afterSignInPath(who, callback));
  }
  // Its pending session has ended: the sign-in page says why, as at the password step.
  if (endsTheSession(outcome.reason)) redirect(donePath(SIGN_IN_PATH[who.kind], SESSION_ENDED_NOTICE[outcome.reason], await thisBrowserFromNow()));
  return { ok: false, message: SECOND_FACTOR_MESSAGES[outcome.reason] };
}
