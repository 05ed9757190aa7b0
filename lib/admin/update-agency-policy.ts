import { createHash } from 'node:crypto';
import { z } from 'zod';
import { ACTOR_CHANGED_MESSAGE, holdActor, type AgencyActor } from '@/lib/auth/session';
import { auditAdminRefusal, lockAgency } from '@/lib/admin/admin-target';
import { canAdmin } from '@/lib/admin/permissions';
import { recordAdminAction } from '@/lib/admin/record-admin-action';
import { db, type Tx } from '@/lib/db/client';
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

/** Which policy a form showed: a save from a page older than the last save is refused (policyVersion). */
export function policyVersion(policy: AgencyPolicy): string {
  const values = Object.keys(POLICY_SELECT).map((key) => policy[key as keyof AgencyPolicy]);
  return createHash('sha256').update(JSON.stringify(values)).digest('base64url').slice(0, 22);
}

export const POLICY_CHANGED_MESSAGE =
  'The policy was saved after you opened this page (by another administrator, or in another tab). The form now shows the policy as saved: make your change again.';

export const NO_OWN_PASSKEY =
  'Add a passkey to your own account first (Account, then Sign-in security): once this is on, administrators without one can only add one, and someone must be able to turn it off again.';

/** A refusal says which fields are wrong, or, when the policy was saved since the form was shown, what is saved now. */
type PolicySaveResult = Result<AgencyPolicy> & { fieldErrors?: Record<string, string[] | undefined>; saved?: AgencyPolicy };

/**
 * Super admins edit their agency's policy within PRODUCT.md's bounds; the change is audited with
 * before and after. The form saves every setting, so one sent from a page that showed an older
 * policy (`seen`, its policyVersion) would quietly undo what another admin saved since, a tightening
 * included (review r33d F1): it is refused with the policy as saved.
 */
export async function updateAgencyPolicy(actor: AgencyActor, input: unknown, ip: string, { seen }: { seen?: string } = {}): Promise<PolicySaveResult> {
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
    if (seen !== undefined && seen !== policyVersion(before)) return { changedSince: before };
    // Once on, an admin without a passkey reaches only the page that adds one. The super admin turning
    // it on must have one, or the agency may be left with no admin able to turn it off again.
    if (policy.requirePasskeyForAdmins && !before.requirePasskeyForAdmins && !(await hasPasskey({ kind: 'user', id: actor.userId }, tx))) return 'no-own-passkey';
    const changed = Object.fromEntries(
      (Object.keys(policy) as (keyof AgencyPolicy)[])
        .filter((key) => before[key] !== policy[key])
        .map((key) => [key, `${before[key]} -> ${policy[key]}`]),
    );
    // Saved as it was: nothing to write, and no "Security policy changed" record of no change (review r51g F3).
    if (Object.keys(changed).length === 0) return true;
    await tx.agency.update({ where: { id: actor.agencyId }, data: policy });
    await shortenIssuedTemporaryPasswords(tx, actor.agencyId, before, policy);
    await recordAdminAction(tx, actor, ip, 'AGENCY_POLICY_UPDATED', { type: 'Agency', id: actor.agencyId }, changed);
    return true;
  });
  if (typeof saved === 'object') return { ok: false, message: POLICY_CHANGED_MESSAGE, saved: saved.changedSince };
  if (saved === 'no-own-passkey') {
    return { ok: false, message: 'Check the values below.', fieldErrors: { requirePasskeyForAdmins: [NO_OWN_PASSKEY] } };
  }
  if (!saved) {
    await auditAdminRefusal(actor, 'policy:edit', null, 'actor-changed', ip);
    return { ok: false, message: ACTOR_CHANGED_MESSAGE };
  }
  return { ok: true, value: policy };
}

/**
 * A shorter lifetime applies to the temporary passwords already out, counted from when each was
 * issued: an admin who shortens it after one leaked means that one too (review r33d F4). Only the
 * agency's live ones are read. (Reset links live 24 hours at most, and keep theirs.)
 */
async function shortenIssuedTemporaryPasswords(tx: Tx, agencyId: string, before: AgencyPolicy, policy: AgencyPolicy) {
  if (policy.temporaryPasswordHours >= before.temporaryPasswordHours) return;
  const issued = await tx.user.findMany({
    where: { agencyId, temporaryPasswordExpiresAt: { gt: new Date() }, temporaryPasswordIssuedAt: { not: null } },
    select: { id: true, temporaryPasswordIssuedAt: true, temporaryPasswordExpiresAt: true },
    // Rows are written in one order by everyone who writes several (holdActor too).
    orderBy: { id: 'asc' },
  });
  for (const user of issued) {
    const end = new Date(user.temporaryPasswordIssuedAt!.getTime() + policy.temporaryPasswordHours * 3_600_000);
    // Only the end as read: a four-eyes approval's link (it takes no agency row) ended the password meanwhile,
    // or a link's use or its owner's own change replaced it.
    if (end < user.temporaryPasswordExpiresAt!) await tx.user.updateMany({ where: { id: user.id, temporaryPasswordExpiresAt: user.temporaryPasswordExpiresAt }, data: { temporaryPasswordExpiresAt: end } });
  }
}
