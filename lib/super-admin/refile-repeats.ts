import type { Tx } from '@/lib/db/client';
import { GATHERED_AT_EACH_END } from '@/lib/mail/templates/super-admin-request-notice';
import { listAgencyAdmins } from './list-agency-admins';
import { openKeyFor, openRequest, TYPED_FIELDS } from './open-request';

/**
 * Called in the transaction that closed a request by "this wasn't me" or a verifier's rejection,
 * after the close released its `openKey`. Those answers are about the request's first filing, which
 * may be a stranger's: the account holder's own later filing, attached as a repeat, must not end
 * with it unheard (her lookup would say "Received" for a week, and the notice she answered named
 * the stranger's reference). So the earliest repeat opens a request of its own, under the reference
 * its requester was told, with the notices and audit record a new filing gets, and the other repeats
 * move onto it. Taking the slot here, before the close commits, means a filing racing the close
 * attaches to the new request or retries; it never finds the account free. Returns the new request's
 * reference, or null when there were none to re-file. Expiry and a lapsed link still end their repeats.
 *
 * Once per chain: a request that was itself re-filed ends its repeats with it. Otherwise a stranger's
 * pre-filed repeats would cost the owner one cancel, and everyone on record one notice, each; its
 * notice names the references it holds instead (the earliest and the latest, and how many between),
 * so the owner can find hers before answering.
 */
export async function refileRepeats(tx: Tx, closed: { id: string; reference: string }): Promise<string | null> {
  const { agencyId, userId, refiledFrom } = await tx.superAdminResetRequest.findUniqueOrThrow({
    where: { id: closed.id },
    select: { agencyId: true, userId: true, refiledFrom: true },
  });
  if (refiledFrom !== null) return null;
  // Bounded reads whatever a stranger attached: the earliest repeat whole, a count, and the references
  // the notice names (a flood of repeats once ran the instance out of memory here, review r31a F1).
  const repeats = { requestId: closed.id, repeat: true };
  const inFilingOrder = [{ createdAt: 'asc' as const }, { id: 'asc' as const }];
  const first = await tx.superAdminRequestSubmission.findFirst({
    where: repeats,
    orderBy: inFilingOrder,
    select: { id: true, reference: true, accountKey: true, createdAt: true, ...TYPED_FIELDS },
  });
  if (!first) return null;
  const { _count, _max } = await tx.superAdminRequestSubmission.aggregate({ where: repeats, _count: { _all: true }, _max: { createdAt: true } });
  const total = _count._all;
  const references = (order: 'asc' | 'desc', take: number) =>
    tx.superAdminRequestSubmission.findMany({ where: repeats, orderBy: [{ createdAt: order }, { id: order }], take, select: { reference: true } });
  const earliest = await references('asc', GATHERED_AT_EACH_END);
  const latest = total > GATHERED_AT_EACH_END ? (await references('desc', Math.min(GATHERED_AT_EACH_END, total - GATHERED_AT_EACH_END))).reverse() : [];

  // The account as it is on record now: its notices and its contact details "at filing" are today's.
  const account = userId
    ? await tx.user.findUnique({ where: { id: userId }, select: { id: true, displayName: true, loginName: true, email: true, phone: true } })
    : null;
  const agency = agencyId ? await tx.agency.findUnique({ where: { id: agencyId }, select: { id: true, code: true, name: true, timeZone: true } }) : null;
  const otherAdmins = await listAgencyAdmins(tx, account ? agencyId : null, account?.id ?? null);

  const { id, accountKey, reference, createdAt, ...typed } = first;
  const request = await openRequest(tx, {
    typed,
    reference,
    submittedAt: createdAt,
    openKey: openKeyFor(account?.id ?? null, accountKey),
    agency,
    account,
    otherAdmins,
    refiled: { from: closed.reference, total, earliest: earliest.map((repeat) => repeat.reference), latest: latest.map((repeat) => repeat.reference) },
  });
  await tx.superAdminRequestSubmission.update({ where: { id }, data: { requestId: request.id, repeat: false } });
  const moved = await tx.superAdminRequestSubmission.updateMany({ where: repeats, data: { requestId: request.id } });
  await tx.superAdminResetRequest.update({
    where: { id: request.id },
    data: { repeatCount: moved.count, lastRepeatAt: moved.count > 0 ? _max.createdAt : null },
  });
  // Its repeats live on the new request now; the counts follow them.
  await tx.superAdminResetRequest.update({ where: { id: closed.id }, data: { repeatCount: 0, lastRepeatAt: null } });
  return reference;
}
