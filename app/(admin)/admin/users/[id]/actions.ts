'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { ADMIN_ACCESS } from '@/lib/admin/access';
import { clearSecondFactorsSchema, clearUserSecondFactors } from '@/lib/admin/clear-user-second-factors';
import { changeUserRole, changeUserRoleSchema, type RoleChangeOutcome } from '@/lib/admin/change-user-role';
import { issueTemporaryPassword, issueTemporaryPasswordSchema, type IssuedTemporaryPassword } from '@/lib/admin/issue-temporary-password';
import { sendResetLink, sendResetLinkSchema } from '@/lib/admin/send-reset-link';
import { setUserStatus, setUserStatusSchema } from '@/lib/admin/set-user-status';
import { unlockUser, userIdSchema } from '@/lib/admin/unlock-user';
import { formatDateTime } from '@/lib/format/date';
import { defineAction, type ActionState } from '@/lib/auth/guards';
import { donePath } from '@/lib/http/done-notice';
import { RESET_LINK_SENT_PROMISE } from '@/lib/admin/console-done';
import type { Result } from '@/lib/result';
import { ROLE_LABEL, roleWithArticle, type AgencyRole } from '@/lib/auth/role-labels';

/** `confirming`: the reset waits for a "yes" (a second submit, so it works without JavaScript). */
export type ResetState = ActionState & { temporaryPassword?: string; expiresAt?: string; confirming?: boolean };
/**
 * `confirm`: the role change waits for a "yes" to this question (a second submit, so it works without JavaScript);
 * `freshFactor`: the "yes" carries the acting super admin's own code or passkey (a raise into an admin role).
 */
export type RoleChangeState = ActionState & { confirm?: { role: AgencyRole; from: AgencyRole; question: string; yes: string; freshFactor: boolean } };

function toState(result: Result<unknown>, success: string, userId: string): ActionState {
  if (!result.ok) return { ok: false, message: result.message };
  revalidatePath(`/admin/users/${userId}`);
  return { ok: true, message: success };
}

const resetSchema = issueTemporaryPasswordSchema.extend({ confirm: z.literal('yes').optional() });

/** The only time a temporary password leaves the server: in this answer, to this admin. */
function temporaryPasswordState(result: Result<IssuedTemporaryPassword>, timeZone: string): ResetState {
  if (!result.ok) return { ok: false, message: result.message };
  return { ok: true, temporaryPassword: result.value.temporaryPassword, expiresAt: formatDateTime(result.value.expiresAt, timeZone) };
}

export const resetPasswordAction = defineAction('admin-reset-password', ADMIN_ACCESS, resetSchema, async (actor, { confirm, ...input }, { ip }): Promise<ResetState> => {
  if (confirm !== 'yes') return { ok: false, confirming: true };
  return temporaryPasswordState(await issueTemporaryPassword(actor, input, ip), actor.agencyTimeZone);
});

/** A lost phone: the factors go, and the password is reset with them (lib/admin/clear-user-second-factors.ts). */
export const clearSecondFactorsAction = defineAction('admin-clear-second-factors', ADMIN_ACCESS, clearSecondFactorsSchema.extend({ confirm: z.literal('yes').optional() }), async (actor, { confirm, ...input }, { ip }): Promise<ResetState> => {
  if (confirm !== 'yes') return { ok: false, confirming: true };
  const result = await clearUserSecondFactors(actor, input, ip);
  // The acting admin's own factor was missing or wrong: the question stays, with the code field's error.
  if (!result.ok && 'askAgain' in result) return { ok: false, message: result.message, fieldErrors: result.fieldErrors, confirming: true };
  const state = temporaryPasswordState(result, actor.agencyTimeZone);
  // The page's count of factors is drawn again; the panel keeps the password it shows.
  if (state.ok) revalidatePath(`/admin/users/${input.userId}`);
  return state;
});

export const unlockAction = defineAction('admin-unlock', ADMIN_ACCESS, userIdSchema, async (actor, input, { ip }) =>
  toState(await unlockUser(actor, input, ip), 'The account is unlocked: they can sign in again with their current password, which has not changed.', input.userId),
);

export const setStatusAction = defineAction('admin-set-status', ADMIN_ACCESS, setUserStatusSchema, async (actor, input, { ip }) =>
  toState(
    await setUserStatus(actor, input, ip),
    input.status === 'DISABLED'
      ? 'The account is disabled: it is signed out everywhere and cannot sign in until an administrator enables it.'
      : 'The account is enabled: they can sign in again with their current password.',
    input.userId,
  ),
);

export const changeRoleAction = defineAction('admin-change-role', ADMIN_ACCESS, changeUserRoleSchema, async (actor, input, { ip }): Promise<RoleChangeState> => {
  const result = await changeUserRole(actor, input, ip);
  // The acting super admin's own factor was missing or wrong: the question stays, with the code field's error.
  if (!result.ok && 'askAgain' in result) return { ok: false, message: result.message, fieldErrors: result.fieldErrors, confirm: question(result.asked) };
  if (!result.ok) return { ok: false, message: result.message };
  const { state, name, from, to } = result.value;
  switch (state) {
    case 'ask':
    case 'ask-again':
      return { ok: false, confirm: question(result.value) };
    case 'cancelled':
      return { ok: true, message: `Nothing changed: ${name} is still ${roleWithArticle(from)}.` };
    case 'unchanged':
      return { ok: true, message: `${name} is already ${roleWithArticle(to)}.` };
    case 'changed':
      revalidatePath(`/admin/users/${input.userId}`);
      return {
        ok: true,
        message: `${name} is now ${roleWithArticle(to)} (was ${ROLE_LABEL[from].toLowerCase()}). They have been signed out everywhere, and a receipt is on its way to them and your super administrators.`,
      };
  }
});

/** The role change's question, to be answered "yes" (with the acting super admin's own factor, for a raise). */
function question({ state, name, from, to, freshFactor }: RoleChangeOutcome): NonNullable<RoleChangeState['confirm']> {
  return {
    role: to,
    from,
    question: `${state === 'ask-again' ? `Nothing changed yet: ${name}’s role changed while you were looking. ` : ''}Make ${name} ${roleWithArticle(to)}? They are now ${roleWithArticle(from)}. They will be signed out everywhere, and they and your agency’s super administrators will get an e-mail about the change.`,
    yes: `Yes, make ${name} ${roleWithArticle(to)}`,
    freshFactor,
  };
}

export const sendResetLinkAction = defineAction(
  'admin-send-reset-link',
  ADMIN_ACCESS,
  sendResetLinkSchema,
  async (actor, input, { ip }) => {
    const result = await sendResetLink(actor, input, ip);
    if (!result.ok) return { ok: false, message: result.message };
    return { ok: true, message: `A single-use reset link is on its way to ${result.value.sentTo}. ${RESET_LINK_SENT_PROMISE}` };
  },
  // A reload of the answer would mail another link (and cancel this one).
  { afterSuccessWithoutJavaScript: (input, actor) => donePath(`/admin/users/${encodeURIComponent(input.userId)}`, 'admin-send-reset-link', actor) },
);
