import { recordAudit } from '@/lib/audit/record';
import { db, type Tx } from '@/lib/db/client';
import type { ResetRequestState } from '@/lib/generated/sqlite/enums';
import { enqueueMailBatch } from '@/lib/mail/outbox';
import { superAdminResetCompletedMail } from '@/lib/mail/templates/super-admin-reset-completed';
import { clearSecondFactorsOf } from '@/lib/mfa/clear-second-factors';
import { listAgencyAdmins } from './list-agency-admins';
import { formatReference } from './reference';
import { TRANSITIONS } from './state-machine';
import { takeTransition } from './take-transition';

export type RequestToComplete = { id: string; reference: string; agencyId: string | null };

/** The request a link belongs to, while the state machine still lets its link complete it; else null. */
export async function findRequestToComplete(requestId: string): Promise<RequestToComplete | null> {
  const request = await db().superAdminResetRequest.findUnique({ where: { id: requestId }, select: { id: true, reference: true, agencyId: true, state: true } });
  const from: Partial<Record<ResetRequestState, unknown>> = TRANSITIONS.complete.from;
  return request && from[request.state] ? { id: request.id, reference: request.reference, agencyId: request.agencyId } : null;
}

type CompletedAccount = {
  id: string;
  agencyId: string;
  email: string | null;
  loginName: string;
  displayName: string;
  agency: { name: string; timeZone: string };
};

/**
 * Completes a request inside the transaction that set the account's new password with its link:
 * the `complete` transition (closing it and freeing the account's open slot, only while unexpired),
 * the lone super admin's second factors cleared, the audit record and the receipts to the account
 * and the agency's other administrators. False when the transition did not take: the caller rolls
 * the whole transaction back.
 */
export async function completeRequest(tx: Tx, request: RequestToComplete, account: CompletedAccount, completedAt: Date, ip: string): Promise<boolean> {
  const outcome = await takeTransition(tx, 'complete', request, null, { data: { completedAt } });
  if (outcome !== 'taken') return false;
  // The four-eyes link is for a lone super admin who lost everything: their factors go too,
  // and enrolment follows at the next sign-in. An admin's own link leaves them in place.
  const factorsCleared = await clearSecondFactorsOf(tx, { kind: 'user', id: account.id });
  await recordAudit(tx, {
    actorType: 'USER',
    actorId: account.id,
    agencyId: account.agencyId,
    ip,
    action: 'SUPER_ADMIN_RESET_COMPLETED',
    targetType: 'SuperAdminResetRequest',
    targetId: request.id,
    outcome: 'SUCCESS',
    details: { reference: request.reference, secondFactorsCleared: factorsCleared.factorsRemoved },
  });
  const others = await listAgencyAdmins(tx, account.agencyId, account.id);
  const receipt = (to: string, toAccountHolder: boolean) =>
    superAdminResetCompletedMail({ to, toAccountHolder, account, agency: account.agency, reference: formatReference(request.reference), completedAt });
  await enqueueMailBatch(tx, [
    ...(account.email ? [receipt(account.email, true)] : []),
    ...others.flatMap((admin) => (admin.email ? [receipt(admin.email, false)] : [])),
  ]);
  return true;
}
