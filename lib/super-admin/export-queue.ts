import { recordAuditAlone } from '@/lib/audit/record';
import type { VendorActor } from '@/lib/auth/session';
import { db } from '@/lib/db/client';
import { csvDocument } from '@/lib/format/csv';
import { listQueue, parseQueueView } from './list-queue';
import { assertVerifier } from './verifier-guard';

const COLUMNS = [
  'reference',
  'state',
  'submitted_at',
  'waited',
  'provider_code_typed',
  'login_name_typed',
  'full_name_typed',
  'matches_admin',
  'agency_on_record',
  'claimed_by',
  'verified_by',
  'approved_by',
  'state_reason',
] as const;

/** The queue as CSV, for the vendor's own records. Audited: it carries requesters' details. */
export async function exportQueue(actor: VendorActor, filter: { view?: string; q?: string }, ip: string): Promise<string> {
  assertVerifier(actor);
  const rows = await listQueue(actor, filter);
  await recordAuditAlone(db(), {
    actorType: 'VENDOR',
    actorId: actor.vendorAccountId,
    action: 'SUPER_ADMIN_QUEUE_EXPORTED',
    outcome: 'SUCCESS',
    ip,
    details: { view: parseQueueView(filter.view), rows: rows.length },
  });
  const lines = rows.map((row) =>
    [
      row.reference,
      row.state,
      row.submittedAt.toISOString(),
      row.waited,
      row.providerCode,
      row.loginName,
      row.fullName,
      row.matchesAdmin ? 'yes' : 'no',
      row.agencyName ?? '',
      row.claimedBy ?? '',
      row.verifiedBy ?? '',
      row.approvedBy ?? '',
      row.stateReason ?? '',
    ],
  );
  return csvDocument(COLUMNS, lines);
}
