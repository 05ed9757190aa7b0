import type { ActionState } from '@/lib/auth/guards';
import type { Actor } from '@/lib/auth/session';
import { db } from '@/lib/db/client';
import { ownerOf } from '@/lib/mfa/account';
import { checkFreshSecondFactor, type FreshFactorInput } from '@/lib/mfa/check-fresh-second-factor';
import { ownerWhere } from '@/lib/mfa/policy';
import { openedRecently, sessionOpenedAt, SIGN_IN_AGAIN_TO_ADD } from '@/lib/mfa/recent-sign-in';

/** True when the account held a confirmed factor before this session opened: adding one then asks for it. */
export async function holdsFactorFromBefore(actor: Actor, opened?: Date): Promise<boolean> {
  opened ??= await sessionOpenedAt(actor);
  return (await db().mfaFactor.count({ where: { ...ownerWhere(ownerOf(actor)), confirmedAt: { lt: opened } } })) > 0;
}

/**
 * Whether this session may add a factor now; the refusal to give when not. A factor is a way in
 * that outlives every session (a passkey is a whole sign-in), so a borrowed unlocked screen or a
 * stolen cookie must not plant one beside the owner's: it needs a sign-in within the last minutes
 * and, when the account already held a factor before this session opened, that factor now.
 */
export async function refusalToAddFactor(actor: Actor, input: FreshFactorInput, ip: string): Promise<ActionState | null> {
  const opened = await sessionOpenedAt(actor);
  if (!openedRecently(opened)) return SIGN_IN_AGAIN_TO_ADD;
  if (!(await holdsFactorFromBefore(actor, opened))) return null;
  const fresh = await checkFreshSecondFactor(actor, input, ip, 'add a factor');
  return fresh.ok ? null : fresh.refusal;
}
