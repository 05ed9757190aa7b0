import { createHash } from 'node:crypto';
import { z } from 'zod';
import { ACTOR_CHANGED_MESSAGE, holdActor, type AgencyActor } from '@/lib/auth/session';
import { auditAdminRefusal, lockAgency } from '@/lib/admin/admin-target';
import { canAdmin, needsFreshFactor } from '@/lib/admin/permissions';
import { recordAdminAction } from '@/lib/admin/record-admin-action';
import { db, type Tx } from '@/lib/db/client';
import { withFormKeyHeld } from '@/lib/http/sent-once';
import { enqueueMailBatch } from '@/lib/mail/outbox';
import { policyChangedMail } from '@/lib/mail/templates/policy-changed';
import { formOwnerOf } from '@/lib/mfa/account';
import { askAgain, checkFreshSecondFactor, type FreshFactorInput } from '@/lib/mfa/check-fresh-second-factor';
import { hasPasskey } from '@/lib/mfa/passkey-policy';
import { agencyPolicySchema, policyChanges, type AgencyPolicy, type PolicyChange } from '@/lib/policy/agency-policy';
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

/**
 * A refusal says which fields are wrong, or, when the policy was saved since the form was shown, what is saved now.
 * `loosens`: the save makes these settings less strict, and waits for the author's own fresh factor to confirm it
 * (asked, or with `askAgain` asked again with what was wrong).
 */
type PolicySaveResult = Result<AgencyPolicy> & { fieldErrors?: Record<string, string[] | undefined>; saved?: AgencyPolicy; loosens?: PolicyChange[]; askAgain?: true };

/** How the form was sent: the policy it showed (policyVersion), the "yes" to the question a looser save asks, the author's fresh factor, the page's key. */
export type PolicySaveSent = { seen?: string; confirm?: 'yes' } & FreshFactorInput & { formKey?: string };

const FORM = 'agency-policy';

/** What a copy of a save sent while the first was at work (a double press) is told: the first saved it. */
const SAVED_BY_FIRST_COPY = { savedByFirstCopy: true } as const;

/**
 * Super admins edit their agency's policy within PRODUCT.md's bounds; the change is audited with
 * before and after, and mailed to each of the agency's super admins in the same transaction. The
 * form saves every setting, so one sent from a page that showed an older policy (`seen`, its
 * policyVersion) would quietly undo what another admin saved since, a tightening included (review
 * r33d F1): it is refused with the policy as saved.
 *
 * A save that makes any setting less strict (loosenedSettings) is confirmed with the author's own
 * factor, held before this session opened (needsFreshFactor; review r55g F1): a stolen or borrowed
 * session alone turns no rule off. Without one the save answers with the question (`loosens`); copies
 * of one confirmation take turns by the page's form key, held before the code is checked.
 */
export async function updateAgencyPolicy(actor: AgencyActor, input: unknown, ip: string, sent: PolicySaveSent = {}): Promise<PolicySaveResult> {
  const decision = canAdmin(actor, 'policy:edit');
  if (!decision.allowed) {
    await auditAdminRefusal(actor, 'policy:edit', null, decision.reason, ip);
    return { ok: false, message: decision.message };
  }
  const parsed = agencyPolicySchema.safeParse(input);
  if (!parsed.success) {
    return { ok: false, message: 'Check the values below.', fieldErrors: z.flattenError(parsed.error).fieldErrors };
  }
  // A copy of the form sent while the first was at work (a double press) waits for it, and is told it is saved.
  const answer = await withFormKeyHeld(FORM, sent.formKey, formOwnerOf(actor), SAVED_BY_FIRST_COPY, (claim) => saveHeld(actor, parsed.data, ip, sent, claim));
  return 'savedByFirstCopy' in answer ? { ok: true, value: await getAgencyPolicy(actor.agencyId) } : answer;
}

/** What a save that makes sign-in less strict answers until the author's own factor confirms it. */
export const LOOSER_ASKED = 'Not saved yet: these changes make signing in less strict. Confirm it is you to save them.';

/** The question a looser save answers first: which settings it makes less strict. */
function looserAsked(before: AgencyPolicy, after: AgencyPolicy): PolicySaveResult {
  return { ok: false, message: LOOSER_ASKED, loosens: loosenedIn(before, after) };
}

const loosenedIn = (before: AgencyPolicy, after: AgencyPolicy) => policyChanges(before, after).filter((change) => change.looser);

async function saveHeld(actor: AgencyActor, policy: AgencyPolicy, ip: string, sent: PolicySaveSent, claim: (tx: Tx) => Promise<void>): Promise<PolicySaveResult> {
  // Said before a code is asked for and used up; the transaction asks both again of the policy it holds.
  const shown = await getAgencyPolicy(actor.agencyId);
  if (sent.seen !== undefined && sent.seen !== policyVersion(shown)) return { ok: false, message: POLICY_CHANGED_MESSAGE, saved: shown };
  let confirmedWith: string | undefined;
  if (needsFreshFactor('policy:edit', { before: shown, after: policy })) {
    if (sent.confirm !== 'yes' && !sent.code && !sent.passkey) return looserAsked(shown, policy);
    const fresh = await checkFreshSecondFactor(actor, sent, ip, 'loosen the security policy');
    if (!fresh.ok) return { ...askAgain(fresh), loosens: loosenedIn(shown, policy) };
    confirmedWith = fresh.kind;
  }
  const saved = await db().$transaction(async (tx) => {
    // Two admins saving at once take turns, so each record says what its save changed.
    await lockAgency(tx, actor.agencyId);
    // The author's row too: their own factor changes hold it (lockFactorOwner), so the passkey check
    // below takes turns with the removal of their last passkey.
    if (!(await holdActor(tx, actor))) return false;
    const before = await tx.agency.findUniqueOrThrow({ where: { id: actor.agencyId }, select: POLICY_SELECT });
    if (sent.seen !== undefined && sent.seen !== policyVersion(before)) return { changedSince: before };
    // Saved by someone else since it was read, and sent with no `seen` (every page sends one): looser than what is saved now, it is asked.
    if (!confirmedWith && needsFreshFactor('policy:edit', { before, after: policy })) return { looserThan: before };
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
    await claim(tx);
    await tx.agency.update({ where: { id: actor.agencyId }, data: policy });
    await shortenIssuedTemporaryPasswords(tx, actor.agencyId, before, policy);
    await recordAdminAction(tx, actor, ip, 'AGENCY_POLICY_UPDATED', { type: 'Agency', id: actor.agencyId }, { ...changed, ...(confirmedWith && { confirmedWith }) });
    await mailPolicyChange(tx, actor, before, policy);
    return true;
  });
  if (typeof saved === 'object' && 'changedSince' in saved) return { ok: false, message: POLICY_CHANGED_MESSAGE, saved: saved.changedSince };
  if (typeof saved === 'object') return looserAsked(saved.looserThan, policy);
  if (saved === 'no-own-passkey') {
    return { ok: false, message: 'Check the values below.', fieldErrors: { requirePasskeyForAdmins: [NO_OWN_PASSKEY] } };
  }
  if (!saved) {
    await auditAdminRefusal(actor, 'policy:edit', null, 'actor-changed', ip);
    return { ok: false, message: ACTOR_CHANGED_MESSAGE };
  }
  return { ok: true, value: policy };
}

/** To every active super admin of the agency with an address, the author included: each changed setting, before and after. */
async function mailPolicyChange(tx: Tx, actor: AgencyActor, before: AgencyPolicy, after: AgencyPolicy) {
  const superAdmins = await tx.user.findMany({
    where: { agencyId: actor.agencyId, role: 'SUPER_ADMIN', status: 'ACTIVE', email: { not: null } },
    select: { email: true, displayName: true },
  });
  const save = { agencyName: actor.agencyName, byName: actor.displayName, changes: policyChanges(before, after), when: new Date(), timeZone: after.timeZone };
  await enqueueMailBatch(tx, superAdmins.map((admin) => policyChangedMail({ email: admin.email!, displayName: admin.displayName }, save)));
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
