import type { z } from 'zod';
import { ADMIN_ROLES } from '@/lib/auth/access';
import type { ActionState } from '@/lib/auth/guards';
import type { VendorActor } from '@/lib/auth/session';
import { db } from '@/lib/db/client';
import type { Role } from '@/lib/generated/sqlite/enums';
import { enqueueMail } from '@/lib/mail/outbox';
import { resetLinkMail } from '@/lib/mail/templates/reset-link';
import { issueResetLink } from '@/lib/password-reset/issue-reset-link';
import { requestIdSchema } from './claim-request';
import { maskEmail } from './mask';
import { transitionWhere } from './state-machine';
import { assertVerifier, MOVED_ON, recordRequestAudit } from './verifier-guard';

export const NO_EMAIL_ON_RECORD =
  'This account has no e-mail address on record, so it cannot be approved: the link can go nowhere else. Reject the request with that reason.';
export const SAME_VERIFIER = 'You verified this request. A second verifier must approve it.';

/**
 * The second verifier approves. Four eyes are enforced by the conditional UPDATE itself (state
 * VERIFIED and verified by someone else), so two approvals racing produce exactly one link. The
 * system, never a person, creates the link and mails it to the address on record: the token
 * lives only in that sealed message, and this function returns nothing of it.
 */
export async function approveRequest(actor: VendorActor, input: z.infer<typeof requestIdSchema>, ip: string): Promise<ActionState> {
  assertVerifier(actor);
  const request = await db().superAdminResetRequest.findUnique({
    where: { id: input.requestId },
    select: { id: true, reference: true, agencyId: true, userId: true, state: true, verifiedById: true, expiresAt: true },
  });
  if (!request) return { ok: false, message: 'There is no such request.' };
  const account = request.userId
    ? await db().user.findUnique({
        where: { id: request.userId },
        select: { id: true, email: true, displayName: true, status: true, role: true, agency: { select: { resetLinkHours: true } } },
      })
    : null;
  const refusal =
    request.state === 'VERIFIED' && request.verifiedById === actor.vendorAccountId
      ? SAME_VERIFIER
      : !account || account.status !== 'ACTIVE' || !(ADMIN_ROLES as readonly Role[]).includes(account.role)
        ? 'The account on record is no longer an active administrator, so it cannot be approved. Reject the request.'
        : !account.email
          ? NO_EMAIL_ON_RECORD
          : null;
  const target = !refusal && account?.email ? { ...account, email: account.email } : null;

  return db().$transaction(async (tx) => {
    const approvedAt = new Date();
    const approved = !target
      ? { count: 0 }
      : await tx.superAdminResetRequest.updateMany({
          where: transitionWhere('approve', request.id, actor.vendorAccountId),
          data: { state: 'APPROVED', approvedById: actor.vendorAccountId, approvedAt },
        });
    if (!target || approved.count !== 1) {
      await recordRequestAudit(tx, {
        actor,
        request,
        ip,
        action: 'SUPER_ADMIN_RESET_APPROVED',
        outcome: 'DENIED',
        details: { refused: refusal ?? 'state or verifier did not allow it' },
      });
      return { ok: false, message: refusal ?? MOVED_ON };
    }
    const link = await issueResetLink(tx, {
      userId: target.id,
      purpose: 'SUPER_ADMIN_REQUEST',
      requestId: request.id,
      issuedById: actor.vendorAccountId,
      lifetimeHours: target.agency.resetLinkHours,
      notAfter: request.expiresAt,
    });
    await enqueueMail(
      tx,
      resetLinkMail({
        to: target.email,
        displayName: target.displayName,
        token: link.token,
        expiresAt: link.expiresAt,
        purpose: 'SUPER_ADMIN_REQUEST',
        reference: request.reference,
      }),
    );
    await recordRequestAudit(tx, {
      actor,
      request,
      ip,
      action: 'SUPER_ADMIN_RESET_APPROVED',
      details: { verifiedById: request.verifiedById, linkExpiresAt: link.expiresAt.toISOString() },
    });
    return { ok: true, message: `Approved. The system e-mailed a single-use link to ${maskEmail(target.email)}.` };
  });
}
