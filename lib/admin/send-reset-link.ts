import 'server-only';
import { actOnTargetAsLoaded, loadAdminTarget, refusalWhileDisabled } from '@/lib/admin/admin-target';
import { notifyAdminAccountReset } from '@/lib/admin/notify-admin-account-reset';
import { userIdSchema } from '@/lib/admin/unlock-user';
import { recordAdminAction } from '@/lib/admin/record-admin-action';
import type { AgencyActor } from '@/lib/auth/session';
import { maskEmail } from '@/lib/format/mask';
import { formKeyField } from '@/lib/http/form-key';
import { claimFormKey, formAbout, onceForForm } from '@/lib/http/sent-once';
import { enqueueMail } from '@/lib/mail/outbox';
import { formOwnerOf } from '@/lib/mfa/account';
import { mailableAddress } from '@/lib/validation/email-address';
import { resetLinkMail } from '@/lib/mail/templates/reset-link';
import { issueResetLink } from '@/lib/password-reset/issue-reset-link';
import type { Result } from '@/lib/result';
import type { z } from 'zod';

export const sendResetLinkSchema = userIdSchema.extend(formKeyField);

const FORM = 'send-reset-link';

/**
 * Instead of a temporary password: mails the account's owner a single-use link to the
 * address on record, so no one but them ever knows the new password. The admin never sees
 * the link; nothing changes on the account until the owner uses it.
 */
export async function sendResetLink(actor: AgencyActor, input: z.infer<typeof sendResetLinkSchema>, ip: string): Promise<Result<{ sentTo: string }>> {
  const loaded = await loadAdminTarget(actor, 'users:send-reset-link', input.userId, ip);
  if (!loaded.ok) return loaded;
  const { target } = loaded;
  const disabled = refusalWhileDisabled(target, 'send the link');
  if (disabled) return disabled;
  // An address no mail server takes is none: the link would never arrive, and the earlier ones would end.
  const email = mailableAddress(target.email);
  if (!email) {
    return { ok: false, message: 'This person has no e-mail address on record that mail can reach. Give them a temporary password instead.' };
  }
  // The same form sent again (a double click): the link is on its way; a second would end the first (review r26c N5).
  const sentAlready = { ok: true as const, value: { sentTo: maskEmail(email) } };
  const claimedBy = formOwnerOf(actor);
  const form = formAbout(FORM, target.id);
  return onceForForm(form, input.formKey, claimedBy, sentAlready, () =>
    actOnTargetAsLoaded(actor, 'users:send-reset-link', target, ip, async (tx) => {
      const lifetimeHours = (await tx.agency.findUniqueOrThrow({ where: { id: actor.agencyId }, select: { resetLinkHours: true } })).resetLinkHours;
      const link = await issueResetLink(tx, { userId: target.id, purpose: 'ADMIN_LINK', issuedById: actor.userId, lifetimeHours });
      const mailId = await enqueueMail(tx, resetLinkMail({ to: email, displayName: target.displayName, token: link.token, expiresAt: link.expiresAt, timeZone: actor.agencyTimeZone }));
      // The mail is only queued: the user page reads its delivery through this id (getUserForAdmin).
      await tx.passwordResetToken.update({ where: { id: link.id }, data: { mailId }, select: { id: true } });
      await recordAdminAction(tx, actor, ip, 'ADMIN_RESET_LINK_SENT', { type: 'User', id: target.id }, { targetRole: target.role, expiresAt: link.expiresAt.toISOString() });
      if (target.role !== 'STAFF') await notifyAdminAccountReset(tx, actor, target, 'reset link by e-mail', new Date());
      return { sentTo: maskEmail(email) };
    }, { reset: 'link', claim: (tx) => claimFormKey(tx, form, input.formKey, claimedBy) }),
  );
}
