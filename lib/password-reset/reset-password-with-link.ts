import 'server-only';
import { z } from 'zod';
import { recordAudit } from '@/lib/audit/record';
import type { ActionState } from '@/lib/auth/guards';
import { endAccountAccess } from '@/lib/auth/end-account-access';
import type { KnownAccount } from '@/lib/auth/known-device';
import { isLocked, UNLOCKED } from '@/lib/auth/lockout';
import { hasSecondFactor } from '@/lib/mfa/policy';
import { forgetAccountBudgets } from '@/lib/mfa/wrong-codes';
import { db } from '@/lib/db/client';
import { lockRow } from '@/lib/db/lock-row';
import { isUniqueClash } from '@/lib/db/unique-clash';
import { claimFormKey, formAbout, sentBefore } from '@/lib/http/sent-once';
import { enqueueMail } from '@/lib/mail/outbox';
import { passwordChangedMail } from '@/lib/mail/templates/password-changed';
import { hashPassword } from '@/lib/password/hash';
import { rememberPassword } from '@/lib/password/history';
import { checkNewPassword, matchesAnyHash } from '@/lib/password/policy';
import { POLICY_BOUNDS } from '@/lib/policy/agency-policy';
import { consumeRateLimit, RATE_LIMITS, refundRateLimit } from '@/lib/rate-limit/rate-limit';
import { recordWrongLink } from '@/lib/rate-limit/token-pages';
import { completeRequest, findRequestToComplete } from '@/lib/super-admin/complete-request';
import { whyLinkIsDead } from './issue-reset-link';
import { hashSecretToken, looksLikeSecretToken } from './secret-token';

/**
 * `account`, when the password is set and the account has no second factor: the account at its new session version,
 * for the browser that used the link to be one the account knows (decision 062, session 53 addendum). With a second
 * factor, the link proves no more than a password would, and the token waits for the code step (review r53d F1).
 */
export type ResetWithLinkResult = ActionState & { linkInvalid?: boolean; account?: KnownAccount };

export const LINK_INVALID_MESSAGE = `This link cannot be used. It has already been used, it has expired, or it is not a complete link.`;

const passwordsSchema = z
  .object({
    newPassword: z.string().min(1, 'Enter a new password').max(1024, 'Password must be 128 characters or fewer'),
    confirmPassword: z.string().max(1024, 'Password must be 128 characters or fewer'),
  })
  .refine((input) => input.newPassword === input.confirmPassword, {
    path: ['confirmPassword'],
    message: 'The passwords do not match. Type the new password again.',
  });

class LinkGone extends Error {}

const PASSWORD_SET = 'Your new password is set. Sign in with it now.';

/**
 * What a copy of the form whose first copy set the password is told (a double press without JavaScript; typed again
 * after an answer that never came back): that it is set, as the first copy was, and no more, with no token; the done
 * page says that of different passwords sent only one is set. Checking the copy's password against the account's
 * told anyone holding the used page whether a guess was its password, uncounted (review r54a F1).
 */
const ANSWER_TO_COPY: ResetWithLinkResult = { ok: true, message: PASSWORD_SET };

/**
 * Sets a new password with a single-use link. The password is checked first (a refused password
 * leaves the link usable); then one transaction consumes the link with a conditional UPDATE (two
 * submits race to exactly one winner), sets the password with its history entry, ends every
 * session, unlocks the account and completes the super-admin request the link belongs to.
 * The token and its hash never reach a log or an audit record.
 */
export async function resetPasswordWithLink(
  token: string,
  newPassword: string,
  confirmPassword: string,
  ip: string,
  formKey?: string,
): Promise<ResetWithLinkResult> {
  const linkInvalid: ResetWithLinkResult = { ok: false, linkInvalid: true, message: LINK_INVALID_MESSAGE };
  // Only a wrong link is counted on the address, and audited within its budget; a right one always goes on (recordWrongLink).
  const invalid = async (reason: string): Promise<ResetWithLinkResult> => {
    await recordWrongLink(ip, { actorType: 'ANONYMOUS', action: 'RESET_LINK_REFUSED', outcome: 'DENIED', details: { reason } });
    return linkInvalid;
  };

  const now = new Date();
  const tokenHash = looksLikeSecretToken(token) ? hashSecretToken(token) : null;
  const link = tokenHash
    ? await db().passwordResetToken.findUnique({
        where: { tokenHash },
        select: { id: true, userId: true, purpose: true, requestId: true, usedAt: true, expiresAt: true, endedAt: true },
      })
    : null;
  if (!link) return invalid('unknown link');
  // The same rendering of the form sent again (a double press without JavaScript, the browser showing only the
  // second answer): its first copy set the password, and this one says so, not that the link cannot be used
  // (review r53d F5). Keyed by the link: a key is the rendering's, for this link only (sent-once.ts).
  const form = formAbout('reset-with-link', link.id);
  if (await sentBefore(form, formKey)) return ANSWER_TO_COPY;
  const dead = whyLinkIsDead(link, now);
  if (dead) return invalid(dead);

  const user = await db().user.findUniqueOrThrow({
    where: { id: link.userId },
    select: {
      id: true,
      agencyId: true,
      status: true,
      passwordHash: true,
      loginName: true,
      displayName: true,
      email: true,
      lockedUntil: true,
      hardLockedAt: true,
      agency: { select: { code: true, name: true, timeZone: true, minPasswordLength: true, passwordHistoryCount: true } },
      passwordHistory: { orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: POLICY_BOUNDS.passwordHistoryCount.max, select: { passwordHash: true } },
    },
  });
  if (user.status !== 'ACTIVE') return invalid('account disabled');
  const request = link.purpose === 'SUPER_ADMIN_REQUEST' && link.requestId ? await findRequestToComplete(link.requestId) : null;
  if (link.purpose === 'SUPER_ADMIN_REQUEST' && !request) return invalid('request no longer approved');

  const parsed = passwordsSchema.safeParse({ newPassword, confirmPassword });
  if (!parsed.success) {
    return { ok: false, message: 'There is a problem with what you entered.', fieldErrors: z.flattenError(parsed.error).fieldErrors };
  }
  const problems = checkNewPassword(
    newPassword,
    { minLength: user.agency.minPasswordLength },
    { loginName: user.loginName, displayName: user.displayName, agencyCode: user.agency.code, agencyName: user.agency.name },
  );
  if (problems.length > 0) return { ok: false, message: 'Choose a different password.', fieldErrors: { newPassword: problems } };
  // The history check is argon2 work (up to 75 verifies at the longest history), and a password it refuses leaves the
  // link unused: a budget of the link's own bounds what its holder can make the server do (review r44e F2); a session
  // of the account cannot spend it and so hold the owner's link off (review r44g F1). A password the check passes
  // gives its count back.
  if ((await consumeRateLimit(db(), RATE_LIMITS.resetLinkHistoryChecksPerLink, link.id)).limited) {
    const message = 'Too many attempts just now. Wait 15 minutes and try again: your link still works until it expires.';
    return { ok: false, message, fieldErrors: { newPassword: [message] } };
  }
  const recent = user.passwordHistory.slice(0, user.agency.passwordHistoryCount).map((entry) => entry.passwordHash);
  if (await matchesAnyHash(newPassword, [user.passwordHash, ...recent])) {
    const message = 'Choose a password you have not used recently.';
    return { ok: false, message, fieldErrors: { newPassword: [message] } };
  }
  await refundRateLimit(db(), RATE_LIMITS.resetLinkHistoryChecksPerLink, link.id);

  const passwordHash = await hashPassword(newPassword);
  const audit = { actorType: 'USER', actorId: user.id, agencyId: user.agencyId, ip } as const;
  let completed: { sessionVersion: number; secondFactor: boolean };
  try {
    completed = await db().$transaction(async (tx) => {
      // Rows in the order the other changes take them, so they wait for each other and never deadlock
      // (PostgreSQL): the account first and wholly (a request's completion clears its factors under
      // that lock), before its links (issuing a temporary password); the request before its links
      // (cancel, expiry); the audit chain last. A link that lost the race meanwhile rolls all of this back.
      await lockRow(tx, 'User', user.id);
      if (request) await lockRow(tx, 'SuperAdminResetRequest', request.id);
      // A copy sent at the same moment waited above for the first to commit, and fails here on the key's claim.
      await claimFormKey(tx, form, formKey);
      // Read with the rows held: a change that committed while this waited for them is before this time, and
      // a link whose end came meanwhile is past it (review r40d F1).
      const completedAt = new Date();
      const updated = await tx.user.update({
        where: { id: user.id },
        data: {
          passwordHash,
          passwordChangedAt: completedAt,
          mustChangePassword: false,
          temporaryPasswordIssuedAt: null,
          temporaryPasswordIssuedById: null,
          temporaryPasswordExpiresAt: null,
          temporaryPasswordEndedAt: null,
          ...UNLOCKED,
          // Every session opened before this moment is refused on its next request.
          sessionVersion: { increment: 1 },
        },
        select: { sessionVersion: true },
      });
      // The link as read above, exactly: a change that revoked it since (a new link, a disable, the owner's own
      // new password) marked it ended and moved its end to that change's time, which a clock reading here
      // cannot be relied on to pass: another instance's clock may run ahead (review r38a F1, r38d F2).
      const consumed = await tx.passwordResetToken.updateMany({
        where: { id: link.id, usedAt: null, endedAt: null, expiresAt: { equals: link.expiresAt, gt: completedAt } },
        data: { usedAt: completedAt },
      });
      if (consumed.count !== 1) throw new LinkGone();
      await forgetAccountBudgets(tx, { kind: 'user', id: user.id }, { knownBrowserTries: true });
      await rememberPassword(tx, user.id, passwordHash);
      const sessionsEnded = await endAccountAccess(tx, user.id, completedAt);
      await recordAudit(tx, {
        ...audit,
        action: 'PASSWORD_RESET_WITH_LINK',
        targetType: 'User',
        targetId: user.id,
        outcome: 'SUCCESS',
        details: {
          purpose: link.purpose,
          reference: request?.reference ?? null,
          wasLocked: isLocked(user, completedAt),
          sessionsEnded,
        },
      });
      if (request) {
        // The super-admin feature completes its request through its own state machine.
        if (!(await completeRequest(tx, request, user, completedAt, ip))) throw new LinkGone();
      } else if (user.email) {
        await enqueueMail(tx, passwordChangedMail({ email: user.email, displayName: user.displayName, agencyName: user.agency.name, timeZone: user.agency.timeZone }, completedAt));
      }
      // Read after the request's completion, which clears a lost second factor.
      return { sessionVersion: updated.sessionVersion, secondFactor: await hasSecondFactor({ kind: 'user', id: user.id }, tx) };
    });
  } catch (error) {
    if (error instanceof LinkGone) return invalid('link used or revoked meanwhile');
    if (isUniqueClash(error) && (await sentBefore(form, formKey))) return ANSWER_TO_COPY;
    throw error;
  }
  // A second factor still to be proved: the token waits for the code step, as after any password (decision 062).
  const account = completed.secondFactor ? undefined : ({ kind: 'user', id: user.id, version: completed.sessionVersion } as const);
  return { ok: true, message: PASSWORD_SET, ...(account && { account }) };
}
