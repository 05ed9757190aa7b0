import { endTemporaryPassword } from '@/lib/auth/claim-temporary-password';
import type { Tx } from '@/lib/db/client';
import { POLICY_BOUNDS } from '@/lib/policy/agency-policy';
import { hashSecretToken, newSecretToken } from './secret-token';

export type ResetLinkPurpose = 'ADMIN_LINK' | 'SUPER_ADMIN_REQUEST';

export type IssueResetLinkInput = {
  userId: string;
  purpose: ResetLinkPurpose;
  /** The SuperAdminResetRequest the link completes. */
  requestId?: string;
  /** Who caused the link: an agency admin's user id or the approving vendor account's id. */
  issuedById?: string;
  /** The agency's `resetLinkHours` (1–24). */
  lifetimeHours: number;
  /** A hard end, e.g. the request's own expiry: the link never outlives it. */
  notAfter?: Date;
};

/**
 * Creates a single-use reset link inside the caller's transaction and returns the token for the
 * caller to mail (lib/mail/templates/reset-link.ts) in the same transaction. Only the SHA-256 is
 * stored; the token must go nowhere but that mail: not to a log, an audit record or a response.
 * Any earlier unused link of the same user stops working, so at most one is ever live, and so does
 * a temporary password not yet replaced.
 */
export async function issueResetLink(tx: Tx, input: IssueResetLinkInput): Promise<{ id: string; token: string; expiresAt: Date }> {
  const { min, max } = POLICY_BOUNDS.resetLinkHours;
  if (!Number.isInteger(input.lifetimeHours) || input.lifetimeHours < min || input.lifetimeHours > max) {
    throw new RangeError(`reset link lifetime must be ${min}–${max} hours`);
  }
  const now = new Date();
  const byPolicy = new Date(now.getTime() + input.lifetimeHours * 3600_000);
  const expiresAt = input.notAfter && input.notAfter < byPolicy ? input.notAfter : byPolicy;

  await revokeResetLinksOf(tx, input.userId, now);
  // The link is the way in now, as a temporary password is when it ends the links: one given earlier
  // and not yet replaced stops working, at sign-in and in a session it opened (review r36b F1).
  await endTemporaryPassword(tx, input.userId, now);
  const token = newSecretToken();
  const created = await tx.passwordResetToken.create({
    data: {
      userId: input.userId,
      tokenHash: hashSecretToken(token),
      purpose: input.purpose,
      requestId: input.requestId ?? null,
      issuedById: input.issuedById ?? null,
      expiresAt,
    },
    select: { id: true },
  });
  return { id: created.id, token, expiresAt };
}

/** A link that may still be used at `now`: not used, not ended by a change, not past its time. */
export const LIVE_LINK = (now: Date) => ({ usedAt: null, endedAt: null, expiresAt: { gt: now } });

type LinkEnds = { usedAt: Date | null; endedAt: Date | null; expiresAt: Date };

/** LIVE_LINK for a link already read: why it may no longer be used at `now` (for the audit), or null when it is live. */
export function whyLinkIsDead(link: LinkEnds, now: Date): 'link already used' | 'link ended' | 'link expired' | null {
  if (link.usedAt) return 'link already used';
  if (link.endedAt) return 'link ended';
  if (link.expiresAt <= now) return 'link expired';
  return null;
}

/**
 * What ends a link before its time: the mark every use checks, whatever its clock (an instance whose
 * clock runs ahead writes an end another still reads as ahead), and its end moved to that moment.
 */
export const ENDED_AT = (now: Date) => ({ endedAt: now, expiresAt: now });

/** Ends every live link of a request (cancelled, expired): used by the super-admin use cases. */
export async function revokeResetLinksOfRequest(tx: Tx, requestId: string, now = new Date()): Promise<number> {
  const revoked = await tx.passwordResetToken.updateMany({
    where: { requestId, ...LIVE_LINK(now) },
    data: ENDED_AT(now),
  });
  return revoked.count;
}

/**
 * Ends every live link of an account. Whatever ends the account's sessions ends its links too (a
 * password set by any other way, a disable, a role change): a link waiting in a mailbox must not
 * undo that change later.
 */
export async function revokeResetLinksOf(tx: Tx, userId: string, now = new Date()): Promise<number> {
  const revoked = await tx.passwordResetToken.updateMany({
    where: { userId, ...LIVE_LINK(now) },
    data: ENDED_AT(now),
  });
  return revoked.count;
}
