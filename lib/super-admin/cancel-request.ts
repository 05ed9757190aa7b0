import { recordAudit, recordAuditAlone } from '@/lib/audit/record';
import { db } from '@/lib/db/client';
import { revokeResetLinksOfRequest } from '@/lib/password-reset/issue-reset-link';
import { hashSecretToken, looksLikeSecretToken } from '@/lib/password-reset/secret-token';
import { recordWrongLink } from '@/lib/rate-limit/token-pages';
import { refileRepeats } from './refile-repeats';
import { stateAsHeld } from './state-as-held';
import { takeTransition } from './take-transition';

export const CANCEL_REASON =
  'Cancelled with the “this wasn’t me” link from the notice mailed to the account’s addresses on record.';

/** Cancelled, and which request (the page that says so shows it), or why not. */
export type CancelResult = { ok: true; reference: string } | { ok: false; message: string };

/**
 * "This wasn't me": whoever holds the link from the notice cancels the request, at any open
 * state; a link already mailed for it stops working. Verifiers see the reason in the queue.
 * Repeats attached to it are re-filed as a request of their own, once per chain (refile-repeats.ts).
 */
export async function cancelRequest(token: string, ip: string): Promise<CancelResult> {
  const gone = {
    ok: false as const,
    message:
      'This link no longer works: the request may already be cancelled, completed, rejected or expired. If you did not ask for a password reset, tell your agency’s other administrators.',
  };
  const request = looksLikeSecretToken(token)
    ? await db().superAdminResetRequest.findUnique({
        where: { cancelTokenHash: hashSecretToken(token) },
        select: { id: true, reference: true, agencyId: true },
      })
    : null;
  if (!request) {
    // Only an unknown token is counted on the address, and audited within its budget; a right one always goes on (recordWrongLink).
    await recordWrongLink(ip, { actorType: 'ANONYMOUS', action: 'SUPER_ADMIN_RESET_CANCEL_REFUSED', outcome: 'DENIED' });
    return gone;
  }
  const cancelled = await db().$transaction(async (tx) => {
    // Read as the row is taken: a verifier's step committed since the read above is what this cancels.
    const from = await stateAsHeld(tx, request.id);
    const ok = (await takeTransition(tx, 'cancel', request, null, { data: { stateReason: CANCEL_REASON } })) === 'taken';
    const record = { actorType: 'ANONYMOUS', agencyId: request.agencyId, action: 'SUPER_ADMIN_RESET_CANCELLED', targetType: 'SuperAdminResetRequest', targetId: request.id } as const;
    if (!ok) return { ok, record: { ...record, outcome: 'DENIED', details: { reference: request.reference, from } } as const };
    const linksRevoked = await revokeResetLinksOfRequest(tx, request.id);
    // "This wasn't me" answers the filing the notice named, not later ones for the same account.
    const refiledAs = await refileRepeats(tx, request);
    await recordAudit(tx, { ...record, ip, outcome: 'SUCCESS', details: { reference: request.reference, from, linksRevoked, refiledAs } });
    return { ok };
  });
  if (cancelled.ok) return { ok: true, reference: request.reference };
  // The first refused press of a request's link is always on the record: on a request completed, it is the owner
  // saying a reset they did not ask for went through (review r44g F4). Its repeats are wrong links like unknown ones,
  // counted on the address and audited within its budget: the link never expires, and each press recorded would
  // append to the audit chain and push the request's real steps out of its history (review r44e F1).
  const refusedBefore = await db().auditEvent.findFirst({ where: { targetId: request.id, action: cancelled.record.action, outcome: 'DENIED' }, select: { seq: true } });
  if (refusedBefore) await recordWrongLink(ip, cancelled.record);
  else await recordAuditAlone(db(), { ...cancelled.record, ip });
  return gone;
}
