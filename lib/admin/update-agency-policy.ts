import { z } from 'zod';
import { ACTOR_CHANGED_MESSAGE, holdActor, type AgencyActor } from '@/lib/auth/session';
import { auditAdminRefusal, lockAgency } from '@/lib/admin/admin-target';
import { canAdmin } from '@/lib/admin/permissions';
import { recordAdminAction } from '@/lib/admin/record-admin-action';
import { db } from '@/lib/db/client';
import { hasPasskey } from '@/lib/mfa/passkey-policy';
import { agencyPolicySchema, type AgencyPolicy } from '@/lib/policy/agency-policy';
import type { Result } from '@/lib/result';

export const POLICY_SELECT = {
  minPasswordLength: true,
  passwordHistoryCount: true,
  softLockThreshold: true,
  hardLockThreshold: true,
  temporaryPasswordHours: true,
  resetLinkHours: true,
  signInAlertThreshold: true,
  onlySuperAdminsResetAdmins: true,
  requireSecondFactorForAllStaff: true,
  requirePasskeyForAdmins: true,
  timeZone: true,
} as const;

export async function getAgencyPolicy(agencyId: string): Promise<AgencyPolicy> {
  return db().agency.findUniqueOrThrow({ where: { id: agencyId }, select: POLICY_SELECT });
}

export const NO_OWN_PASSKEY =
  'Add a passkey to your own account first (Account, then Sign-in security): once this is on, administrators without one can only add one, and someone must be able to turn it off again.';

/** Super admins edit their agency's policy within PRODUCT.md's bounds; the change is audited with before and after. */
export async function updateAgencyPolicy(actor: AgencyActor, input: unknown, ip: string): Promise<Result<AgencyPolicy> & { fieldErrors?: Record<string, string[] | undefined> }> {
  const decision = canAdmin(actor, 'policy:edit');
  if (!decision.allowed) {
    await auditAdminRefusal(actor, 'policy:edit', null, decision.reason, ip);
    return { ok: false, message: decision.message };
  }
  const parsed = agencyPolicySchema.safeParse(input);
  if (!parsed.success) {
    return { ok: false, message: 'Check the values below.', fieldErrors: z.flattenError(parsed.error).fieldErrors };
  }
  const policy = parsed.data;
  const saved = await db().$transaction(async (tx) => {
    // Two admins saving at once take turns, so each record says what its save changed.
    await lockAgency(tx, actor.agencyId);
    // The author's row too: their own factor changes hold it (lockFactorOwner), so the passkey check
    // below takes turns with the removal of their last passkey.
    if (!(await holdActor(tx, actor))) return false;
    const before = await tx.agency.findUniqueOrThrow({ where: { id: actor.agencyId }, select: POLICY_SELECT });
    // Once on, an admin without a passkey reaches only the page that adds one. The super admin turning
    // it on must have one, or the agency may be left with no admin able to turn it off again.
    if (policy.requirePasskeyForAdmins && !before.requirePasskeyForAdmins && !(await hasPasskey({ kind: 'user', id: actor.userId }, tx))) return 'no-own-passkey';
    await tx.agency.update({ where: { id: actor.agencyId }, data: policy });
    const changed = Object.fromEntries(
      (Object.keys(policy) as (keyof AgencyPolicy)[])
        .filter((key) => before[key] !== policy[key])
        .map((key) => [key, `${before[key]} -> ${policy[key]}`]),
    );
    await recordAdminAction(tx, actor, ip, 'AGENCY_POLICY_UPDATED', { type: 'Agency', id: actor.agencyId }, changed);
    return true;
  });
  if (saved === 'no-own-passkey') {
    return { ok: false, message: 'Check the values below.', fieldErrors: { requirePasskeyForAdmins: [NO_OWN_PASSKEY] } };
  }
  if (!saved) {
    await auditAdminRefusal(actor, 'policy:edit', null, 'actor-changed', ip);
    return { ok: false, message: ACTOR_CHANGED_MESSAGE };
  }
  return { ok: true, value: policy };
}
