import { z } from 'zod';
import { auditAdminRefusal } from '@/lib/admin/admin-target';
import { countFailureLocks, FAILURE_LOCKS_PER_UNLOCK, listFailureLocks, unlockableOf } from '@/lib/admin/list-failure-locks';
import { canAdmin } from '@/lib/admin/permissions';
import { unlockAccount } from '@/lib/admin/unlock-user';
import { ACTOR_CHANGED_MESSAGE, holdActor, type AgencyActor } from '@/lib/auth/session';
import { db } from '@/lib/db/client';
import type { Result } from '@/lib/result';

/**
 * The one confirmation, a box the admin ticks, and what the banner showed: how many accounts it asked
 * to unlock, and when. A press unlocks no more than that, and no account locked after:
 * a page left open, or its answer sent again by a reload, once unlocked accounts locked since, a super
 * admin's among them, that the admin never saw (review r34b F1).
 */
export const bulkUnlockSchema = z.object({
  confirm: z.literal('yes', { error: 'Tick the box to confirm' }),
  shown: z.coerce.number().int().min(1).max(FAILURE_LOCKS_PER_UNLOCK),
  shownAt: z.coerce.number().int().min(0).max(8.64e15),
});

/**
 * Ends the locks a spray of failed sign-ins set within the last hour, in the actor's agency, never on the
 * actor's own account, as many as the banner showed at most (FAILURE_LOCKS_PER_UNLOCK or fewer); `more`
 * are left for the next press. Each
 * account is unlocked by a conditional update (still locked?) and audited on its own, so two admins at
 * once unlock and audit each account once.
 */
export async function bulkUnlockUsers(
  actor: AgencyActor,
  input: z.infer<typeof bulkUnlockSchema>,
  ip: string,
): Promise<Result<{ unlocked: number; leftOwn: boolean; more: number }>> {
  const decision = canAdmin(actor, 'users:bulk-unlock');
  if (!decision.allowed) {
    await auditAdminRefusal(actor, 'users:bulk-unlock', null, decision.reason, ip);
    return { ok: false, message: decision.message };
  }
  const now = new Date();
  // One more than a press takes: the actor's own account may be among them.
  const locked = await listFailureLocks(actor, now, input.shown + 1, new Date(input.shownAt));
  const allowed = locked.filter((target) => canAdmin(actor, 'users:unlock', target).allowed).slice(0, input.shown);
  // One transaction per account: one holding many accounts and the audit chain between them would
  // deadlock with any change that takes one of those accounts and then audits (PostgreSQL).
  let unlocked = 0;
  for (const target of allowed) {
    const done = await db().$transaction(async (tx) =>
      (await holdActor(tx, actor, target.id)) ? unlockAccount(tx, actor, target.id, ip, { at: now, bulk: true }) : ('actor-changed' as const),
    );
    if (done === 'actor-changed') {
      await auditAdminRefusal(actor, 'users:bulk-unlock', null, done, ip);
      return { ok: false, message: ACTOR_CHANGED_MESSAGE };
    }
    if (done) unlocked += 1;
  }
  const left = await countFailureLocks(actor, now);
  return { ok: true, value: { unlocked, leftOwn: left.ownAmongThem, more: unlockableOf(actor, left) } };
}
