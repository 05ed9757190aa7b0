import { z } from 'zod';
import { emailAddressSchema } from '@/lib/validation/email-address';
import { db } from '@/lib/db/client';
import { isUniqueClash } from '@/lib/db/unique-clash';
import { addressKeySpellings } from '@/lib/mail/mailbox';
import { answerNoSoonerThan } from '@/lib/http/answer-floor';
import { enqueueMail } from '@/lib/mail/outbox';
import { statusSubscriptionConfirmMail } from '@/lib/mail/templates/status-subscription-confirm';
import { RATE_LIMITS, consumeRateLimit } from '@/lib/rate-limit/rate-limit';
import { spendConfirmationBudgets } from '@/lib/status/confirmation-budgets';
import { CONFIRM_LINK_DAYS } from '@/lib/status/confirm-link-lifetime';
import { confirmPath } from '@/lib/status/subscription-token';
import { hasHiddenCharacters } from '@/lib/validation/free-text';

export const subscribeSchema = z.object({
  email: z
    .string({ error: 'Enter your e-mail address' })
    .trim()
    .min(1, 'Enter your e-mail address')
    // Stops here when too long: the checks after it read the whole text (up to a form's 64 KB).
    .max(254, { error: 'E-mail address must be 254 characters or fewer', abort: true })
    .refine((value) => !hasHiddenCharacters(value, 'identifier'), 'E-mail address contains a hidden character. Type it in rather than pasting it')
    .pipe(emailAddressSchema),
});

export type SubscribeResult = { ok: true } | { ok: false; limited: true };

/**
 * Every answer takes at least this long: a new address costs a write and a queued mail, a confirmed
 * one nothing, and the gap (~5 ms on loopback) would tell who subscribes.
 */
export const SUBSCRIBE_ANSWER_FLOOR_MS = 250;

/**
 * A confirmation sent this recently is the answer to a second sign-up too: the form sent twice (a
 * double click, a reload of its answer) mailed the link again, and the newer link voided the first
 * (review r34b F2). The page is sent from memory, so its form carries no key of its own (decision 017).
 */
export const CONFIRMATION_RESENT_AFTER_MS = 60_000;

/**
 * Asks for alerts. The answer and its time are the same whether the address is new, waiting for
 * confirmation, already subscribed or unsubscribed (no one learns who subscribes); only the mail
 * differs: a confirmation link unless the address is already confirmed. Nothing is sent to an
 * address until its owner confirms (double opt-in); sign-ups are limited per client, confirmation
 * mails per inbox, per domain and in all (confirmation-budgets.ts).
 */
export async function requestStatusSubscription(
  input: z.infer<typeof subscribeSchema>,
  ip: string,
  options: { answerFloorMs?: number } = {},
): Promise<SubscribeResult> {
  // "Too many sign-ups from this address" says so at once: it depends on no address typed.
  return answerNoSoonerThan(options.answerFloorMs ?? SUBSCRIBE_ANSWER_FLOOR_MS, () => subscribe(input, ip), (result) => !result.ok);
}

async function subscribe(input: z.infer<typeof subscribeSchema>, ip: string): Promise<SubscribeResult> {
  if ((await consumeRateLimit(db(), RATE_LIMITS.statusSubscribePerClient, ip)).limited) return { ok: false, limited: true };

  const sentAt = new Date();
  const resendAfter = new Date(sentAt.getTime() - CONFIRMATION_RESENT_AFTER_MS);
  // One subscription, and one limit, per address however its domain is spelt (addressKey). A row made
  // before that was keyed as typed: it is still this address's (review r41e F1).
  const keys = addressKeySpellings(input.email);
  const rows = await db().statusSubscriber.findMany({ where: { emailKey: { in: keys } }, select: { id: true, emailKey: true, confirmedAt: true, unsubscribedAt: true, confirmationSentAt: true } });
  const existing = rows.find((row) => row.emailKey === keys[0]) ?? rows[0];
  const emailKey = existing?.emailKey ?? keys[0]!;
  if (existing?.confirmedAt && !existing.unsubscribedAt) return { ok: true };
  if (existing && !existing.confirmedAt && existing.confirmationSentAt > resendAfter) return { ok: true };
  // Past a budget (its inbox's, its domain's, or all confirmations') the answer stays "check your e-mail", and no
  // more mail goes out: the same answer, in the same time, whether or not it was mailed.
  if (!(await spendConfirmationBudgets(keys[0]!))) return { ok: true };

  try {
    await db().$transaction(async (tx) => {
      // Renewed only while it is not a live subscription, nor one whose confirmation has just gone: a
      // confirmation that landed since the read above must not be undone by this request, nor a copy
      // of it sent in parallel mail a second link.
      const renewed = await tx.statusSubscriber.updateMany({
        where: { emailKey, OR: [{ confirmedAt: null, confirmationSentAt: { lte: resendAfter } }, { unsubscribedAt: { not: null } }] },
        data: { email: input.email, confirmedAt: null, unsubscribedAt: null, confirmationSentAt: sentAt },
      });
      const current = await tx.statusSubscriber.findUnique({ where: { emailKey }, select: { id: true } });
      if (renewed.count === 0 && current) return; // confirmed meanwhile, or its confirmation just sent
      // No row: a new address, or one the periodic round removed since the read above.
      const subscriber = current ?? (await tx.statusSubscriber.create({ data: { email: input.email, emailKey, confirmationSentAt: sentAt }, select: { id: true } }));
      await enqueueMail(tx, statusSubscriptionConfirmMail(input.email, confirmPath(subscriber.id, sentAt), CONFIRM_LINK_DAYS));
    });
  } catch (error) {
    // The same new address signed up by a parallel request, which sends the one confirmation.
    if (!isUniqueClash(error)) throw error;
  }
  return { ok: true };
}
