'use server';

import { revalidatePath } from 'next/cache';
import { ADMIN_ACCESS } from '@/lib/admin/access';
import { clearUserSecondFactors } from '@/lib/admin/clear-user-second-factors';
import { changeUserRole, changeUserRoleSchema } from '@/lib/admin/change-user-role';
import { issueTemporaryPassword, issueTemporaryPasswordSchema } from '@/lib/admin/issue-temporary-password';
import { sendResetLink, sendResetLinkSchema } from '@/lib/admin/send-reset-link';
import { setUserStatus, setUserStatusSchema } from '@/lib/admin/set-user-status';
import { unlockUser, userIdSchema } from '@/lib/admin/unlock-user';
import { defineAction, type ActionState } from '@/lib/auth/guards';
import type { Result } from '@/lib/result';

export type ResetState = ActionState & { temporaryPassword?: string; expiresAt?: string };

function toState(result: Result<unknown>, success: string, userId: string): ActionState {
  if (!result.ok) return { ok: false, message: result.message };
  revalidatePath(`/admin/users/${userId}`);
  return { ok: true, message: success };
}

export const resetPasswordAction = defineAction(
  'admin-reset-password',
  ADMIN_ACCESS,
  issueTemporaryPasswordSchema,
  async (actor, input, { ip }): Promise<ResetState> => {
    const result = await issueTemporaryPassword(actor, input, ip);
    if (!result.ok) return { ok: false, message: result.message };
    // The only time the temporary password leaves the server: in this answer, to this admin.
    return { ok: true, temporaryPassword: result.value.temporaryPassword, expiresAt: result.value.expiresAt.toISOString() };
  },
);

export const unlockAction = defineAction('admin-unlock', ADMIN_ACCESS, userIdSchema, async (actor, input, { ip }) =>
  toState(await unlockUser(actor, input, ip), 'The account is unlocked. The password has not changed.', input.userId),
);

export const setStatusAction = defineAction('admin-set-status', ADMIN_ACCESS, setUserStatusSchema, async (actor, input, { ip }) =>
  toState(
    await setUserStatus(actor, input, ip),
    input.status === 'DISABLED' ? 'The account is disabled and signed out everywhere.' : 'The account is enabled.',
    input.userId,
  ),
);

export const changeRoleAction = defineAction('admin-change-role', ADMIN_ACCESS, changeUserRoleSchema, async (actor, input, { ip }) =>
  toState(await changeUserRole(actor, input, ip), 'The role is changed. The person has been signed out.', input.userId),
);

export const sendResetLinkAction = defineAction('admin-send-reset-link', ADMIN_ACCESS, sendResetLinkSchema, async (actor, input, { ip }) => {
  const result = await sendResetLink(actor, input, ip);
  if (!result.ok) return { ok: false, message: result.message };
  return { ok: true, message: `A single-use reset link is on its way to ${result.value.sentTo}. You will not see it, and the password stays theirs alone.` };
});

export const clearSecondFactorsAction = defineAction('admin-clear-second-factors', ADMIN_ACCESS, userIdSchema, async (actor, input, { ip }) =>
  toState(
    await clearUserSecondFactors(actor, input, ip),
    'Their second factors are cleared and they are signed out. They set up a new one at their next sign-in.',
    input.userId,
  ),
);
