import 'server-only';
import { z } from 'zod';
import { recordAudit } from '@/lib/audit/record';
import { temporaryPasswordExpired, temporaryPasswordUnexpired } from '@/lib/auth/claim-temporary-password';
import { endAccountAccess } from '@/lib/auth/end-account-access';
import type { ActionState } from '@/lib/auth/guards';
import { carrySessionOn, sessionStillAt } from '@/lib/auth/own-change';
import { addressLimitRefusesSession, clearFailures, laneOfSession, markSettled, reserveAttempt, settleReservedAttempt, settleWrongSecret, TOO_MANY_FROM_NETWORK } from '@/lib/auth/password-attempt';
import { enrolmentDue, type AgencyActor } from '@/lib/auth/session';
import { db, type Tx } from '@/lib/db/client';
import { lockRow } from '@/lib/db/lock-row';
import { formKeyField, RELOAD_AND_SEND_AGAIN } from '@/lib/http/form-key';
import { firstCopysMoveOf, withFormKeyHeld } from '@/lib/http/sent-once';
import { enqueueMail } from '@/lib/mail/outbox';
import { passwordChangedMail } from '@/lib/mail/templates/password-changed';
import { formOwnerOf, ownerOf, SIGNED_OUT_MEANWHILE } from '@/lib/mfa/account';
import { proveSecondFactor } from '@/lib/mfa/consume-second-factor';
import { sessionOpenedAt } from '@/lib/mfa/recent-sign-in';
import { webAuthnResponseField } from '@/lib/mfa/webauthn';
import { hashPassword, verifyDummy, verifyPassword } from '@/lib/password/hash';
import { rememberPassword } from '@/lib/password/history';
import { checkNewPassword, containsMuchOf, matchesAnyHash } from '@/lib/password/policy';
import { POLICY_BOUNDS } from '@/lib/policy/agency-policy';
import { consumeRateLimit, RATE_LIMITS, refundRateLimit } from '@/lib/rate-limit/rate-limit';
import { signInPasswordSchema } from '@/lib/validation/identifiers';

/** What the page a password change lands on says (/account, or /account/security when a second factor must be added first). */
export const PASSWORD_CHANGED_DONE = {
  'password-changed': 'Your password has been changed. You have been signed out everywhere else.',
  'password-changed-once':
    'The form was sent twice: your password was changed once, when it was first sent, to the new password typed then. You have been signed out everywhere else.',
} as const;

export const changePasswordSchema = z
  .object({
    // The current password, or a fresh passkey answer instead (the form sends both fields, one empty).
    currentPassword: z.union([z.literal(''), signInPasswordSchema]).optional(),
    passkey: webAuthnResponseField.optional().or(z.literal('')),
    newPassword: z.string().min(1, 'Enter a new password').max(1024, 'Password must be 128 characters or fewer'),
    confirmPassword: z.string().max(1024, 'Password must be 128 characters or fewer'),
    // The session's version when the page was drawn (the page gives it; a script may leave it out).
    drawnAtVersion: z
      .string()
      .regex(/^\d{1,9}$/, { error: RELOAD_AND_SEND_AGAIN })
      .transform(Number)
      .optional(),
    ...formKeyField,
  })
  .refine((input) => Boolean(input.currentPassword) || Boolean(input.passkey), {
    path: ['currentPassword'],
    message: 'Enter your current password',
  })
  .refine((input) => input.newPassword === input.confirmPassword, {
    path: ['confirmPassword'],
    message: 'The passwords do not match. Type the new password again.',
  });

/**
 * A change that landed. `secondFactorDue`: the account must add a second factor (or, an admin held to passkeys, a
 * passkey) before anything else. `done`: what the page it lands on says (PASSWORD_CHANGED_DONE).
 */
export type PasswordChanged = ActionState & { ok: true; secondFactorDue: boolean; done: keyof typeof PASSWORD_CHANGED_DONE };
type Refusal = ActionState & { ok: false };

/** A copy of a rendering whose first copy changed the password, sent from another session or once this one moved on. */
export const DONE_BEFORE_MOVED_ON = {
  ok: false,
  message: 'This form was sent before and done then, and your account has changed since. Open the page again to see where it stands.',
} as const;

/** A page drawn before the session's version moved: what it was drawn for may be gone (the password it asks for, replaced). */
export const DRAWN_BEFORE_A_CHANGE = {
  ok: false,
  message: 'Your account changed after this page was opened: its password or a sign-in method was changed from another page. Nothing was checked or changed here. Open the page again.',
} as const;

const CHANGED_ELSEWHERE =
  'Your password was changed a moment ago from another page, while this one was being sent. Nothing was changed from this page: use the password set there.';

const TEMPORARY_PASSWORD_ENDED =
  'Your temporary password has expired, or a reset link sent to your e-mail address replaced it. Use the newest link if you have one; otherwise ask your provider administrator for a new one.';

/**
 * A signed-in user replaces their own password (the only step allowed after a temporary one). It is
 * proved to be them by the current password or by a passkey now: a passkey alone is a whole sign-in,
 * so after a passkey sign-in over a pending temporary password, the person need not know that password.
 */
export async function changeOwnPassword(
  actor: AgencyActor,
  input: z.infer<typeof changePasswordSchema>,
  ip: string,
): Promise<PasswordChanged | Refusal> {
  const answer = await withFormKeyHeld(FORM, input.formKey, formOwnerOf(actor), CHANGED_BY_FIRST_COPY, (claim) => changeHeld(actor, input, ip, claim));
  if (answer !== CHANGED_BY_FIRST_COPY) return answer;
  // The same rendering sent again (a double press without JavaScript, a browser sending the POST again), whose first
  // copy changed the password: the browser shows this copy's answer. Checked again, the current password it carries
  // is the old one, and it was told wrong and counted as a failure. It is told what the first copy did, on the session
  // that change carried on while nothing moved it since; the password it carries is not compared with the one set
  // (that would tell anyone holding the session whether a guess is the password, uncounted). Elsewhere, or once the
  // session moved on, it is told only that the form was done before: not to send it again (review r47c F6).
  const move = await firstCopysMoveOf(FORM, input.formKey);
  if (move?.sessionId !== actor.sessionId || !(await sessionStillAt(actor.sessionId, move.to))) return DONE_BEFORE_MOVED_ON;
  return { ok: true, message: PASSWORD_CHANGED_DONE['password-changed-once'], secondFactorDue: await secondFactorDueAfterChange(actor, actor.role), done: 'password-changed-once' };
}

const FORM = 'change-own-password';
/** withFormKeyHeld's answer to a copy of a rendering whose first copy changed the password: answered above. */
const CHANGED_BY_FIRST_COPY = Symbol('changed by the first copy');

async function changeHeld(
  actor: AgencyActor,
  input: z.infer<typeof changePasswordSchema>,
  ip: string,
  claim: (tx: Tx) => Promise<void>,
): Promise<PasswordChanged | Refusal> {
  const audit = {
    actorType: 'USER',
    actorId: actor.userId,
    agencyId: actor.agencyId,
    targetType: 'User',
    targetId: actor.userId,
    ip,
  } as const;
  if ((await consumeRateLimit(db(), RATE_LIMITS.passwordChangePerUser, actor.userId)).limited) {
    return { ok: false, message: 'Too many attempts. Wait 15 minutes and try again.' };
  }

  const user = await db().user.findUniqueOrThrow({
    where: { id: actor.userId },
    select: {
      role: true,
      passwordHash: true,
      mustChangePassword: true,
      temporaryPasswordExpiresAt: true,
      temporaryPasswordEndedAt: true,
      loginName: true,
      displayName: true,
      email: true,
      sessionVersion: true,
      agency: {
        select: {
          code: true,
          name: true,
          timeZone: true,
          minPasswordLength: true,
          passwordHistoryCount: true,
          softLockThreshold: true,
          hardLockThreshold: true,
        },
      },
      passwordHistory: {
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: POLICY_BOUNDS.passwordHistoryCount.max,
        select: { passwordHash: true },
      },
    },
  });

  // Drawn before another page of this session changed the password (or a sign-in method): the current password
  // typed here may be the one replaced, and would be told wrong and counted on the account's lock (review r48c F3).
  // Against the version read with the password it would be checked against, so also when that change committed
  // while this request was on its way (review r48e F1). Nothing is checked: a version sent lower than it was gains
  // nothing but this answer.
  if (input.drawnAtVersion !== undefined && input.drawnAtVersion < user.sessionVersion) return DRAWN_BEFORE_A_CHANGE;

  const now = new Date();
  // A temporary password works until it expires, here as at sign-in: a session opened with it in
  // time cannot use it later. (A passkey is proof of its own; it needs no temporary password.)
  const temporaryExpired = user.mustChangePassword && temporaryPasswordExpired(user, now);
  if (temporaryExpired && !input.passkey) {
    return fieldError('currentPassword', TEMPORARY_PASSWORD_ENDED);
  }

  // A wrong current password is a failed sign-in like any other: it counts for the client's address on
  // the limit wrong passwords and codes share; the right one gives it back. The owner's own browser passes
  // that limit, as at sign-in and the code step (review r46a F2).
  const addressRule = RATE_LIMITS.signInFailuresPerAddress;
  if (await addressLimitRefusesSession(actor, ip)) {
    return { ok: false, message: TOO_MANY_FROM_NETWORK };
  }
  // The current password is checked on the same counter and lock as sign-in (lib/auth/password-attempt.ts), on the
  // lane of the browser presenting the session: a stolen session cannot keep guessing here after sign-in would have locked the account.
  const failure = { ...audit, action: 'PASSWORD_CHANGE_FAILURE', outcome: 'FAILURE' } as const;
  const reservation = await db().$transaction((tx) =>
    reserveAttempt(tx, { kind: 'user', id: actor.userId, policy: user.agency, lane: laneOfSession(actor) }, { failure, pathway: 'change-password' }, now),
  );
  // Either proof is one attempt on the account's counter, as at sign-in.
  const proof = input.passkey ? 'passkey' : 'password';
  const verified = !reservation.counted
    ? await verifyDummy(input.currentPassword ?? '')
    : input.passkey
      ? (await proveSecondFactor(ownerOf(actor), { passkey: input.passkey }, actor.sessionId, await sessionOpenedAt(actor))).ok
      : await verifyPassword(user.passwordHash, input.currentPassword ?? '');
  if (!verified) {
    await settleWrongSecret(
      reservation,
      {
        ...failure,
        details: reservation.counted
          ? { reason: proof === 'passkey' ? 'passkey refused' : 'wrong current password' }
          : { reason: 'account locked' },
      },
      'change-password',
    );
    if (!reservation.counted) {
      return { ok: false, message: 'Your account is locked after too many wrong passwords. Try again later, or ask your provider administrator to unlock it.' };
    }
    if (proof === 'passkey') return fieldError('currentPassword', 'The passkey was not accepted. Try it again, or type your current password.');
    return fieldError('currentPassword', 'Your current password is not right. Type it again.');
  }
  await settleReservedAttempt(() =>
    db().$transaction(async (tx) => {
      await markSettled(tx, reservation);
      await clearFailures(tx, 'user', actor.userId);
      await refundRateLimit(tx, addressRule, ip);
    }),
  );

  const problems = checkNewPassword(
    input.newPassword,
    { minLength: user.agency.minPasswordLength },
    { loginName: user.loginName, displayName: user.displayName, agencyCode: user.agency.code, agencyName: user.agency.name },
  );
  if (problems.length > 0) return { ok: false, message: 'Choose a different password.', fieldErrors: { newPassword: problems } };
  // The administrator who issued the temporary password knows it: no variant of it will do either.
  if (user.mustChangePassword && input.currentPassword && containsMuchOf(input.newPassword, input.currentPassword)) {
    return fieldError('newPassword', 'Choose a password that does not contain your temporary one, or a large part of it.');
  }

  const recent = user.passwordHistory.slice(0, user.agency.passwordHistoryCount).map((entry) => entry.passwordHash);
  if (await matchesAnyHash(input.newPassword, [user.passwordHash, ...recent])) {
    return fieldError('newPassword', 'Choose a password you have not used recently.');
  }

  const passwordHash = await hashPassword(input.newPassword);
  const changed = await db().$transaction(async (tx) => {
    // Only on the account as its password was checked above: an administrator's reset, or another
    // change (even from this session, sent at the same moment), moved its session version meanwhile,
    // and must not be undone or repeated by this older request with the proof it no longer holds.
    const readSession = () => tx.authSession.findUnique({ where: { id: actor.sessionId }, select: { sessionVersion: true, endedAt: true } });
    // What moved it on, when this session goes on with the account: a password change of this session's own from
    // another rendering (another tab, or a script sending the form twice without its key: a browser's copy of the
    // same rendering holds the key and is answered in changeOwnPassword), which carries on under the next version;
    // or another change of this session's own (a factor added, codes replaced), which moves both versions too but
    // left the password as it was: nothing was changed here (review r37c F1). Else the account moved on past this
    // session (a reset elsewhere).
    const movedOn = async (session: Awaited<ReturnType<typeof readSession>>) => {
      if (!session || session.endedAt) return false;
      const current = await tx.user.findUniqueOrThrow({ where: { id: actor.userId }, select: { passwordHash: true, sessionVersion: true } });
      if (session.sessionVersion !== current.sessionVersion) return false;
      if (session.sessionVersion !== user.sessionVersion + 1 || current.passwordHash === user.passwordHash) return 'moved-on' as const;
      return 'changed-elsewhere' as const;
    };
    const session = await readSession();
    if (!session || session.endedAt || session.sessionVersion !== user.sessionVersion) return movedOn(session);
    const version = user.sessionVersion + 1;
    // Proved with the temporary password, it holds only while that does: a reset link sent since the
    // check above ended it, and the link must not be ended by this change (review r37b F1). Its end as read
    // above, exactly (a link sent from an instance whose clock runs ahead moved it all the same; review
    // r37c F2), and not past it, by the time read once the row is held.
    await lockRow(tx, 'User', actor.userId);
    const provedWithTemporary = user.mustChangePassword && proof === 'password';
    const stillTemporary = provedWithTemporary && { temporaryPasswordExpiresAt: user.temporaryPasswordExpiresAt, ...temporaryPasswordUnexpired(new Date()) };
    const updated = await tx.user.updateMany({
      where: { id: actor.userId, sessionVersion: user.sessionVersion, ...stillTemporary },
      data: {
        passwordHash,
        passwordChangedAt: new Date(),
        mustChangePassword: false,
        temporaryPasswordExpiresAt: null,
        temporaryPasswordEndedAt: null,
        sessionVersion: version,
      },
    });
    // On PostgreSQL the other submit may commit while this one waits for the row: it is read again then.
    if (updated.count !== 1) {
      const { sessionVersion } = await tx.user.findUniqueOrThrow({ where: { id: actor.userId }, select: { sessionVersion: true } });
      return sessionVersion === user.sessionVersion ? ('temporary-password-ended' as const) : movedOn(await readSession());
    }
    await claim(tx);
    await rememberPassword(tx, actor.userId, passwordHash);
    // Every other session ends, and every reset link; this one carries on under the new version.
    await endAccountAccess(tx, actor.userId, new Date(), { keep: actor.sessionId });
    await carrySessionOn(tx, actor.sessionId, version);
    await recordAudit(tx, {
      ...audit,
      action: 'PASSWORD_CHANGED',
      outcome: 'SUCCESS',
      details: { fromTemporaryPassword: actor.mustChangePassword, proof },
    });
    if (user.email) {
      await enqueueMail(tx, passwordChangedMail({ email: user.email, displayName: user.displayName, agencyName: user.agency.name, timeZone: user.agency.timeZone }, new Date()));
    }
    return true;
  });
  if (changed === 'temporary-password-ended') return fieldError('currentPassword', TEMPORARY_PASSWORD_ENDED);
  if (changed === 'moved-on') return SIGNED_OUT_MEANWHILE;
  // Another rendering's change, to whichever password: this one is not told whether its own is the one set there (that
  // would tell anyone holding the session whether a guess is the new password, uncounted), and its browser is not
  // kept known by a change it did not make (review r47c F1).
  if (changed === 'changed-elsewhere') return { ok: false, message: CHANGED_ELSEWHERE };
  if (!changed) {
    return { ok: false, message: 'Your password was not changed: it was reset, or changed elsewhere, while you were typing. Sign in again.' };
  }
  // The role is as read above: a change of it ended the session, and the change failed.
  return { ok: true, message: 'Your password has been changed.', secondFactorDue: await secondFactorDueAfterChange(actor, user.role), done: 'password-changed' };
}

/**
 * Whether the session, carrying on, must add a factor before anything else: the factors (an admin's reset cleared
 * them with the password) and the agency's rules as they stand after the change; a rule saved while it ran counts
 * (review r45b F3).
 */
async function secondFactorDueAfterChange(actor: AgencyActor, role: AgencyActor['role']): Promise<boolean> {
  const rules = await db().agency.findUniqueOrThrow({
    where: { id: actor.agencyId },
    select: { requireSecondFactorForAllStaff: true, requirePasskeyForAdmins: true },
  });
  const due = await enrolmentDue({ id: actor.userId, role, agency: rules });
  return due.secondFactor || due.passkey;
}

function fieldError(field: string, message: string): Refusal {
  return { ok: false, message, fieldErrors: { [field]: [message] } };
}
