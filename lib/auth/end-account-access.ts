import { carrySessionOn } from '@/lib/auth/own-change';
import type { Actor } from '@/lib/auth/session';
import type { Tx } from '@/lib/db/client';
import { revokeResetLinksOf } from '@/lib/password-reset/issue-reset-link';

/**
 * Ends every session of an account but `keep` (the one making the change, if it goes on), and
 * every live reset link with them, in the caller's transaction: a link waiting in a mailbox is a
 * way in like a session (decision 005). The caller moves the account's session version in its own
 * update of the account, which it makes first. Returns how many sessions ended.
 */
export async function endAccountAccess(tx: Tx, userId: string, now: Date, { keep }: { keep?: string } = {}): Promise<number> {
  const ended = await tx.authSession.updateMany({ where: { userId, endedAt: null, ...(keep && { id: { not: keep } }) }, data: { endedAt: now } });
  await revokeResetLinksOf(tx, userId, now);
  return ended.count;
}

/**
 * The owner changed their second factors: removed one or replaced their recovery codes (whatever the old
 * one opened must close with it), or added one (a session that signed in with the password alone, while
 * the account had no factor to ask for, would otherwise pass for one that had shown it). Every other
 * session of their own account ends (and, for an agency user, every live reset link); the session
 * making the change goes on. The account's session version moves, and this session's with it, so the
 * known-device cookies those sessions earned end too (known-device.ts): one earned with the password
 * alone must not pass the address's limit once the account has a factor (review r26a). Called after
 * lockFactorOwner, which holds the account's row. Returns how many sessions ended.
 */
export async function endOtherSessions(tx: Tx, actor: Actor, now: Date): Promise<number> {
  const moved = { sessionVersion: { increment: 1 } };
  const { sessionVersion } =
    actor.kind === 'agency'
      ? await tx.user.update({ where: { id: actor.userId }, data: moved, select: { sessionVersion: true } })
      : await tx.vendorAccount.update({ where: { id: actor.vendorAccountId }, data: moved, select: { sessionVersion: true } });
  await carrySessionOn(tx, actor.sessionId, sessionVersion);
  if (actor.kind === 'agency') return endAccountAccess(tx, actor.userId, now, { keep: actor.sessionId });
  const ended = await tx.authSession.updateMany({ where: { vendorAccountId: actor.vendorAccountId, endedAt: null, id: { not: actor.sessionId } }, data: { endedAt: now } });
  return ended.count;
}

/** Told to the owner after a change that ended their other sessions. */
export const SIGNED_OUT_ELSEWHERE = 'You were signed out everywhere else.';
