import { z } from 'zod';
import { ACTOR_CHANGED_MESSAGE, actorStillAsResolved, type AgencyActor } from '@/lib/auth/session';
import { auditAdminRefusal, loadAdminTarget, lockAgency, otherActiveSuperAdmins } from '@/lib/admin/admin-target';
import { recordAudit } from '@/lib/audit/record';
import { endAccountAccess } from '@/lib/auth/end-account-access';
import { AGENCY_ROLES, ROLE_LABEL, roleWithArticle, type AgencyRole } from '@/lib/auth/role-labels';
import { db, type Tx } from '@/lib/db/client';
import { lockRow } from '@/lib/db/lock-row';
import { enqueueMailBatch } from '@/lib/mail/outbox';
import { roleChangedReceiptMail } from '@/lib/mail/templates/role-changed';
import { formKeyField } from '@/lib/http/form-key';
import { formAbout, withFormKeyHeld } from '@/lib/http/sent-once';
import { formOwnerOf } from '@/lib/mfa/account';
import { askAgain, checkFreshSecondFactor, freshFactorFields, type FreshFactorRefused } from '@/lib/mfa/check-fresh-second-factor';
import { hasSecondFactor, ROLES_REQUIRING_SECOND_FACTOR } from '@/lib/mfa/policy';
import { needsFreshFactor } from '@/lib/admin/permissions';
import type { Result } from '@/lib/result';

export const changeUserRoleSchema = z.object({
  userId: z.string().min(1).max(64),
  role: z.enum(['STAFF', 'PROVIDER_ADMIN', 'SUPER_ADMIN']),
  /** The answer to "are you sure?": without "yes" nothing changes, whoever sends the request. */
  confirm: z.enum(['yes', 'no']).optional(),
  /** The role the question said the account has: a "yes" to a question about another role asks again. */
  from: z.enum(['STAFF', 'PROVIDER_ADMIN', 'SUPER_ADMIN']).optional(),
  /** With a "yes" that raises the account: the acting super admin's own fresh factor, and the page's form key. */
  ...freshFactorFields,
  ...formKeyField,
});

export type RoleChangeOutcome = {
  /**
   * `ask`: nothing changed yet, confirm first; `ask-again`: the same, for the account's role changed since the
   * question was asked; `cancelled`: the admin said no; `unchanged`: already that role.
   */
  state: 'ask' | 'ask-again' | 'cancelled' | 'unchanged' | 'changed';
  name: string;
  from: AgencyRole;
  to: AgencyRole;
  /** The "yes" to this change asks for the acting super admin's own fresh factor (needsFreshFactor). */
  freshFactor: boolean;
};

/** A "yes" whose fresh factor was missing or wrong: nothing changed, and the question is asked again (`asked`). */
export type RoleChangeFactorRefused = FreshFactorRefused & { asked: RoleChangeOutcome };

const FORM = 'change-role';

/**
 * Grants or revokes admin roles (super admins only), in two steps: the first answers `ask`, and
 * only a second request with `confirm: 'yes'` changes the role, and only from the role the question
 * named: promoting a staff member is not demoting the super admin another tab made of them meanwhile
 * (review r38b F2). The agency is locked for the check,
 * so two super admins demoting each other at once cannot leave it with none. A role change ends
 * the account's sessions, so new rights and lost rights both apply at once, and is mailed to the
 * account and the agency's super admins in the same transaction.
 *
 * A raise hands admin power that outlasts the session, so its "yes" also asks for the acting super admin's
 * own factor, held before this session opened (needsFreshFactor; review r55g F1): a stolen cookie alone makes
 * no one an administrator. Copies of one "yes" take turns by the page's form key, held before the code is
 * checked, as "Clear second factors" does.
 */
export async function changeUserRole(
  actor: AgencyActor,
  input: z.infer<typeof changeUserRoleSchema>,
  ip: string,
): Promise<Result<RoleChangeOutcome> | RoleChangeFactorRefused> {
  const loaded = await loadAdminTarget(actor, 'users:change-role', input.userId, ip);
  if (!loaded.ok) return loaded;
  const { target } = loaded;
  const outcome = (state: RoleChangeOutcome['state'], from: AgencyRole) => ({
    ok: true as const,
    value: { state, name: target.displayName, from, to: input.role, freshFactor: needsFreshFactor('users:change-role', { from, to: input.role }) },
  });
  if (input.confirm !== 'yes') {
    if (target.role === input.role) return outcome('unchanged', target.role);
    if (input.confirm !== 'no' && (await raisedWithoutFactor(db(), target.id, target.role, input.role))) return noFactorYet(target.displayName, input.role);
    return outcome(input.confirm === 'no' ? 'cancelled' : 'ask', target.role);
  }
  // Said before a code is asked for and used up; the transaction asks again of the row it holds.
  if (target.role === input.role) return outcome('unchanged', target.role);
  // A yes that names no role (no page sends one) is asked plainly: nothing says the role changed.
  if (input.from === undefined) return outcome('ask', target.role);
  if (target.role !== input.from) return outcome('ask-again', target.role);
  if (await raisedWithoutFactor(db(), target.id, target.role, input.role)) return noFactorYet(target.displayName, input.role);
  const from = input.from;
  // A copy of the "yes" sent while the first was at work waits for it, and is told what the first made of the account.
  return withFormKeyHeld(formAbout(FORM, target.id), input.formKey, formOwnerOf(actor), outcome('unchanged', input.role), async (claim) => {
    let confirmedWith: string | undefined;
    if (needsFreshFactor('users:change-role', { from, to: input.role })) {
      const fresh = await checkFreshSecondFactor(actor, input, ip, 'raise a role', { userId: target.id });
      if (!fresh.ok) return { ...askAgain(fresh), asked: outcome('ask', from).value };
      confirmedWith = fresh.kind;
    }
    const done = await db().$transaction(async (tx): Promise<Result<RoleChangeOutcome> | 'actor-changed'> => {
      await lockAgency(tx, actor.agencyId);
      if (!(await actorStillAsResolved(tx, actor))) return 'actor-changed';
      // Held (as the role's update will hold it) so a factor removed meanwhile is counted: the removal holds it too.
      await lockRow(tx, 'User', target.id, { asItsUpdate: true });
      const current = await tx.user.findUniqueOrThrow({ where: { id: target.id }, select: { role: true, status: true } });
      if (current.role === input.role) return outcome('unchanged', current.role);
      if (current.role !== from) return outcome('ask-again', current.role);
      if (
        current.role === 'SUPER_ADMIN' &&
        current.status === 'ACTIVE' &&
        (await otherActiveSuperAdmins(tx, actor.agencyId, target.id)) === 0
      ) {
        return { ok: false, message: 'This is the agency’s only active super administrator: make someone else a super administrator first.' };
      }
      if (await raisedWithoutFactor(tx, target.id, current.role, input.role)) return noFactorYet(target.displayName, input.role);
      await claim(tx);
      const now = new Date();
      await tx.user.update({ where: { id: target.id }, data: { role: input.role, sessionVersion: { increment: 1 } } });
      await endAccountAccess(tx, target.id, now);
      await recordAudit(tx, {
        actorType: 'USER',
        actorId: actor.userId,
        agencyId: actor.agencyId,
        action: 'ADMIN_ROLE_CHANGED',
        targetType: 'User',
        targetId: target.id,
        ip,
        outcome: 'SUCCESS',
        details: { from: current.role, to: input.role, ...(confirmedWith && { confirmedWith }) },
      });
      await mailRoleChangeReceipts(tx, actor, { ...target, agencyName: target.agency.name }, current.role, input.role, now);
      return outcome('changed', current.role);
    });
    if (done !== 'actor-changed') return done;
    await auditAdminRefusal(actor, 'users:change-role', target.id, done, ip, target.agencyId);
    return { ok: false, message: ACTOR_CHANGED_MESSAGE };
  });
}

/**
 * Whether the change raises the account into a role that needs a second factor while it holds none. Its
 * password would then be its only proof: whoever knew it would sign in, be asked to add a first factor
 * with that password (decision 061), add theirs and hold the console, and the owner's next sign-in would
 * ask for their code (review r41c F1). Lowering a role is never refused for it.
 */
async function raisedWithoutFactor(database: Pick<Tx, 'mfaFactor'>, userId: string, from: AgencyRole, to: AgencyRole): Promise<boolean> {
  const raised = AGENCY_ROLES.indexOf(to) > AGENCY_ROLES.indexOf(from);
  const needsFactor = (ROLES_REQUIRING_SECOND_FACTOR as readonly AgencyRole[]).includes(to);
  return raised && needsFactor && !(await hasSecondFactor({ kind: 'user', id: userId }, database));
}

function noFactorYet(name: string, to: AgencyRole): Result<never> {
  return {
    ok: false,
    message: `${name} has no second factor yet, so they cannot be made ${roleWithArticle(to)}: whoever knows their password could add one first and take the account. Ask them to add an authenticator app or a passkey on their Sign-in security page, then try again. Nothing was changed.`,
  };
}

type Account = { id: string; agencyId: string; loginName: string; displayName: string; email: string | null; agencyName: string };

/** To the account and every active super admin with an address (read after the change, so a new one is told too), once each. */
async function mailRoleChangeReceipts(tx: Tx, actor: AgencyActor, account: Account, from: AgencyRole, to: AgencyRole, when: Date) {
  const superAdmins = await tx.user.findMany({
    where: { agencyId: account.agencyId, role: 'SUPER_ADMIN', status: 'ACTIVE', email: { not: null } },
    select: { email: true, displayName: true },
  });
  const recipients = new Map<string, { email: string; displayName: string }>();
  for (const admin of superAdmins) recipients.set(admin.email!.toLowerCase(), { email: admin.email!, displayName: admin.displayName });
  if (account.email) recipients.set(account.email.toLowerCase(), { email: account.email, displayName: account.displayName });
  const change = {
    accountName: account.displayName,
    accountLogin: account.loginName,
    agencyName: account.agencyName,
    byName: actor.displayName,
    fromLabel: ROLE_LABEL[from],
    toLabel: ROLE_LABEL[to],
    when,
    timeZone: actor.agencyTimeZone,
  };
  await enqueueMailBatch(tx, [...recipients.values()].map((recipient) => roleChangedReceiptMail(recipient, change)));
}
