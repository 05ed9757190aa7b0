import type { z } from 'zod';
import { ADMIN_ROLES } from '@/lib/auth/access';
import type { ActionState } from '@/lib/auth/guards';
import type { VendorActor } from '@/lib/auth/session';
import type { Tx } from '@/lib/db/client';
import { maskEmail } from '@/lib/format/mask';
import type { Role } from '@/lib/generated/sqlite/enums';
import { enqueueMail } from '@/lib/mail/outbox';
import { mailableAddress } from '@/lib/validation/email-address';
import { resetLinkMail } from '@/lib/mail/templates/reset-link';
import { issueResetLink } from '@/lib/password-reset/issue-reset-link';
import { requestIdSchema } from './claim-request';
import { contactDetailsChanged, type ContactDetails } from './contact-snapshot';
import { formatReference } from './reference';
import { EXPIRED_MESSAGE, takeTransition } from './take-transition';
import { findRequestForStep, MOVED_ON, NO_SUCH_REQUEST, recordRequestAudit, takeHeldStep, withAccountHeld } from './verifier-guard';

export const NO_EMAIL_ON_RECORD =
  'This account had no e-mail address on record that mail can reach when the request was filed, so it cannot be approved: the link can go nowhere else. Follow “No e-mail address on record” on this page.';
export const SAME_VERIFIER = 'You verified this request. A second verifier must approve it.';
export const CONTACT_CHANGED =
  'Contact details changed since this request was filed: verify again. The request is back in review with its claimer, who must call back and complete the checklist again.';

export const NOT_AN_ACTIVE_ADMIN = 'The account on record is no longer an active administrator, so it cannot be approved. Reject the request.';

/**
 * The second verifier approves. Four eyes and expiry are enforced by the conditional UPDATE itself
 * (state VERIFIED, verified by someone else, not expired), so two approvals racing produce exactly
 * one link, and an expired request none. The link goes to the e-mail on record WHEN THE REQUEST WAS
 * FILED: if the account's e-mail or phone has changed since, approval is refused and the request
 * goes back to review, because a change made after filing is exactly what someone hijacking the
 * account would do. The system, never a person, creates the link: the token lives only in that
 * sealed message, and this function returns nothing of it. The account is read in the step's own
 * transaction, its row held (withAccountHeld): a disable, demotion or change of contact details
 * committed a moment before is what the approval decides on (review r37b F2).
 */
export async function approveRequest(actor: VendorActor, input: z.infer<typeof requestIdSchema>, ip: string): Promise<ActionState> {
  const request = await findRequestForStep(actor, input.requestId, {
    userId: true,
    state: true,
    verifiedById: true,
    expiresAt: true,
    emailAtFiling: true,
    phoneAtFiling: true,
  });
  if (!request) return NO_SUCH_REQUEST;
  const filed = { email: request.emailAtFiling, phone: request.phoneAtFiling };
  const step = { actor, request, ip, action: 'SUPER_ADMIN_RESET_APPROVED' };
  return withAccountHeld(step, request.userId, async (tx, account) => {
    // An address no mail server takes is none: approved, the link could never arrive.
    const mailTo = mailableAddress(filed.email);
    const refusal =
      request.state === 'VERIFIED' && request.verifiedById === actor.vendorAccountId
        ? SAME_VERIFIER
        : !account || account.status !== 'ACTIVE' || !(ADMIN_ROLES as readonly Role[]).includes(account.role)
          ? NOT_AN_ACTIVE_ADMIN
          : contactDetailsChanged(filed, account)
            ? CONTACT_CHANGED
            : !mailTo
              ? NO_EMAIL_ON_RECORD
              : null;
    const approvedAt = new Date();
    if (refusal === CONTACT_CHANGED && account) return returnToReview(tx, step, filed, account, approvedAt);
    const target = !refusal && account && mailTo ? { ...account, email: mailTo } : null;
    return takeHeldStep(
      tx,
      {
        ...step,
        transition: 'approve',
        // The snapshot read above, and no other, is what the link goes to and what was compared.
        options: { where: { emailAtFiling: filed.email, phoneAtFiling: filed.phone }, data: { approvedById: actor.vendorAccountId, approvedAt } },
        // Four eyes was read from the request as it stands: the page says it in place of the button.
        refusal: target ? null : { message: refusal ?? NO_EMAIL_ON_RECORD, ...(refusal === SAME_VERIFIER ? { asRead: true as const } : {}) },
      },
      // No target means a refusal above: the step is not tried.
      (tx) => mailApprovalLink(tx, actor, request, target!),
    );
  });
}

/** Contact details changed since filing: back to review with the details now on record, so that the checklist is done against them. */
async function returnToReview(
  tx: Tx,
  step: { actor: VendorActor; request: { id: string; reference: string; agencyId: string | null; verifiedById: string | null }; ip: string; action: string },
  filed: ContactDetails,
  account: ContactDetails,
  at: Date,
): Promise<ActionState> {
  const outcome = await takeTransition(tx, 'returnToReview', step.request, null, {
    where: { verifiedById: step.request.verifiedById, emailAtFiling: filed.email, phoneAtFiling: filed.phone },
    data: {
      verifiedById: null,
      verifiedAt: null,
      callbackDone: false,
      identityConfirmed: false,
      noOtherAdminConfirmed: false,
      emailAtFiling: account.email,
      phoneAtFiling: account.phone,
      contactChangedAt: at,
    },
  });
  await recordRequestAudit(tx, {
    ...step,
    outcome: 'DENIED',
    details: { refused: outcome === 'expired' ? 'expired' : CONTACT_CHANGED, returnedToReview: outcome === 'taken' },
  });
  if (outcome === 'taken') return { ok: false, message: CONTACT_CHANGED };
  // Moved on meanwhile: its Approve form is gone from the page drawn again.
  return { ok: false, message: outcome === 'expired' ? EXPIRED_MESSAGE : MOVED_ON, gone: true };
}

/** The system, never a person, creates the link: the token lives only in the sealed message. */
async function mailApprovalLink(
  tx: Tx,
  actor: VendorActor,
  request: { id: string; reference: string; verifiedById: string | null; expiresAt: Date },
  target: { id: string; email: string; displayName: string; agency: { resetLinkHours: number; timeZone: string } },
) {
  const link = await issueResetLink(tx, {
    userId: target.id,
    purpose: 'SUPER_ADMIN_REQUEST',
    requestId: request.id,
    issuedById: actor.vendorAccountId,
    lifetimeHours: target.agency.resetLinkHours,
    notAfter: request.expiresAt,
  });
  const mailId = await enqueueMail(
    tx,
    resetLinkMail({
      to: target.email,
      displayName: target.displayName,
      token: link.token,
      expiresAt: link.expiresAt,
      timeZone: target.agency.timeZone,
      superAdminReference: formatReference(request.reference),
    }),
  );
  await tx.superAdminResetRequest.update({ where: { id: request.id }, data: { approvalMailId: mailId }, select: { id: true } });
  // Queued, not sent: the outbox delivers it, and the request page shows when it went out.
  return {
    message: `Approved. A single-use link is queued for e-mail to ${maskEmail(target.email)}, the address on record when the request was filed.`,
    details: { verifiedById: request.verifiedById, linkExpiresAt: link.expiresAt.toISOString() },
  };
}
