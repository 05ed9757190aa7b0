import type { Access } from '@/lib/auth/access';
import { recordAudit, type AuditOutcome } from '@/lib/audit/record';
import type { VendorActor } from '@/lib/auth/session';
import type { Tx } from '@/lib/db/client';
import { Refused } from '@/lib/result';

/**
 * The gate (defineAction / requirePageActor) already refuses everyone but verifiers; the use cases
 * check again, so that no future caller can forget it.
 */
export function assertVerifier(actor: VendorActor): void {
  if (actor.kind !== 'vendor' || actor.role !== 'VERIFIER') throw new Refused('super-admin-queue');
}

/** One audit record about a request, with the acting vendor account. Never a token or a hash. */
export async function recordRequestAudit(
  tx: Tx,
  input: {
    actor: VendorActor;
    request: { id: string; agencyId: string | null; reference: string };
    action: string;
    outcome?: AuditOutcome;
    ip: string;
    details?: Record<string, string | number | boolean | null>;
  },
): Promise<void> {
  await recordAudit(tx, {
    actorType: 'VENDOR',
    actorId: input.actor.vendorAccountId,
    agencyId: input.request.agencyId,
    action: input.action,
    targetType: 'SuperAdminResetRequest',
    targetId: input.request.id,
    ip: input.ip,
    outcome: input.outcome ?? 'SUCCESS',
    details: { reference: input.request.reference, ...input.details },
  });
}

export const MOVED_ON =
  'This request has changed since you opened it, or this step is not allowed for you now. Reload the page to see where it stands.';

/** Who reaches the queue's pages, actions and routes: verifiers only (operators get a 404). */
export const VERIFIER_ACCESS = { principal: 'vendor', roles: ['VERIFIER'] } as const satisfies Access;
