import type { Tx } from '@/lib/db/client';
import { enqueueMail } from '@/lib/mail/outbox';
import { ENDED_AT, LIVE_LINK } from '@/lib/password-reset/issue-reset-link';
import { fourEyesLinkEndedMail } from '@/lib/mail/templates/four-eyes-link-ended';
import { accountContact } from '@/lib/mfa/account';

/**
 * A sign-in that used a second factor (or a passkey) ends the account's live four-eyes link: that
 * link also clears the account's factors, for an admin who lost them all, and this sign-in shows
 * they did not (decision 043). The holder is told at the address the link went to, so a stranger
 * holding one of her factors cannot end it unseen. Returns whether a link ended.
 */
export async function endFourEyesLinkOnSignIn(tx: Tx, userId: string, signedInAt: Date, ip: string): Promise<boolean> {
  const ended = await tx.passwordResetToken.updateMany({
    where: { userId, purpose: 'SUPER_ADMIN_REQUEST', ...LIVE_LINK(signedInAt) },
    data: ENDED_AT(signedInAt),
  });
  if (ended.count === 0) return false;
  const holder = await accountContact({ kind: 'user', id: userId }, tx);
  if (holder) await enqueueMail(tx, fourEyesLinkEndedMail(holder, signedInAt, ip));
  return true;
}
