import { z } from 'zod';
import type { Tx } from '@/lib/db/client';
import { carriesSecret } from '@/lib/http/redact-path.mjs';
import { seal } from '@/lib/mail/seal';
import { logger } from '@/lib/observability/logger.mjs';
import { isMailableAddress } from '@/lib/validation/email-address';

/** The only extra headers a message may carry; everything else is built by the transport. */
const ALLOWED_HEADERS = ['List-Unsubscribe', 'List-Unsubscribe-Post', 'Auto-Submitted'] as const;

const noLineBreaks = (label: string) =>
  z.string().refine((value) => !/[\r\n\u0000]/.test(value), `${label} must not contain line breaks`);

export const SUBJECT_MAX = 200;

/**
 * Subjects carry names people chose (a status title, a person's or an agency's name): a long one is
 * shortened, never refused. A refusal lost the alert of every status title over 171 characters,
 * which the operators' form allows (review r33a F1).
 */
function fitSubject(subject: string): string {
  if (subject.length <= SUBJECT_MAX) return subject;
  // Cut between characters as a reader sees them: no letter loses its accent, no emoji its halves.
  const characters = Array.from(new Intl.Segmenter().segment(subject), (part) => part.segment);
  return characters.length <= SUBJECT_MAX ? subject : `${characters.slice(0, SUBJECT_MAX - 1).join('').trimEnd()}…`;
}

/** Why a message to an address that is not mailable is kept, and not sent (toRow, and the worker again before each send). */
export const UNMAILABLE = 'Not sent, and never to be: the address on record is not one a mail server can take (correct it on record for the mails to come).';

/**
 * Why a status alert was withdrawn, not sent: its subscriber unsubscribed after it was queued (the worker, just
 * before sending). Kept, as UNMAILABLE is: what was not sent, and why, is on record.
 */
export const UNSUBSCRIBED = 'Not sent: its subscriber unsubscribed from status alerts after it was queued.';

// Header values reach SMTP: a CR or LF in any of them would let content forge headers.
export const mailMessageSchema = z.object({
  template: z.string().regex(/^[a-z0-9-]+$/),
  // Checked apart (isMailableAddress): a recipient that cannot be mailed is no fault of the change that mails it.
  to: z.string(),
  subject: noLineBreaks('Subject').pipe(z.string().min(1)).transform(fitSubject),
  text: z.string().min(1),
  html: z.string().min(1),
  headers: z.partialRecord(z.enum(ALLOWED_HEADERS), noLineBreaks('Header').pipe(z.string().max(500))).optional(),
  /**
   * The message holds a working link (a reset link, a request's cancel link, a subscription's confirm
   * or unsubscribe link): its bodies and headers are sealed while queued and wiped once sent, so a
   * copy of the database hands out no link.
   */
  sensitive: z.boolean().optional(),
  /** A status alert's subscriber: the worker sends it only while they are still subscribed (UNSUBSCRIBED). */
  statusSubscriberId: z.string().min(1).optional(),
  /**
   * One of many copies of one event, whose number grows with a list (subscribers, an agency's admins) and
   * which strangers can set off: sent after the due mail for one person (a reset link, a lock notice),
   * which a burst of these otherwise waited behind (review r50b F1).
   */
  bulk: z.boolean().optional(),
});

export type MailMessage = z.input<typeof mailMessageSchema>;

export class UnsafeMailError extends Error {}

const LINK = /https?:\/\/[^\s<>"']+/g;

/** Whether any link in these texts carries a secret (lib/http/redact-path.mjs: a token in its path or query). */
function holdsSecretLink(...texts: string[]): boolean {
  return texts.some((text) =>
    [...text.matchAll(LINK)].some(([link]) => {
      try {
        const url = new URL(link.replaceAll('&amp;', '&'));
        return carriesSecret(`${url.pathname}${url.search}`);
      } catch {
        return false;
      }
    }),
  );
}

function toRow(message: MailMessage) {
  const parsed = mailMessageSchema.safeParse(message);
  if (!parsed.success) {
    throw new UnsafeMailError(`refused to queue mail "${message.template}": ${parsed.error.issues.map((i) => i.message).join('; ')}`);
  }
  const { template, to, subject, text, html, headers, statusSubscriberId, bulk } = parsed.data;
  // A notice to an address on record that cannot be mailed must not undo what it tells of (a request
  // filed, a lock recorded, an alert to the other admins): kept dead at once, for an operator to see.
  const unmailable = !isMailableAddress(to);
  // Sealed whenever a link in it carries a secret, whatever the template says: one forgotten flag
  // left status alerts' unsubscribe links readable in every copy of the database.
  const sensitive = parsed.data.sensitive === true || holdsSecretLink(text, html, JSON.stringify(headers ?? {}));
  return {
    template,
    toAddress: to,
    subject,
    textBody: sensitive ? seal(text) : text,
    htmlBody: sensitive ? seal(html) : html,
    headers: headers ? (sensitive ? seal(JSON.stringify(headers)) : JSON.stringify(headers)) : null,
    sensitive,
    statusSubscriberId: statusSubscriberId ?? null,
    bulk: bulk === true,
    ...(unmailable ? { status: 'DEAD' as const, lastError: UNMAILABLE } : {}),
  };
}

function logUnmailable(rows: Array<ReturnType<typeof toRow>>): void {
  for (const row of rows) {
    if (row.status === 'DEAD') logger.error({ event: 'mail.unmailable', template: row.template, error: UNMAILABLE });
  }
}

/**
 * Queues a message inside the caller's transaction: the change that causes the mail and
 * the mail itself commit together or not at all. Delivery happens later (lib/mail/worker.ts).
 */
export async function enqueueMail(tx: Tx, message: MailMessage): Promise<string> {
  const data = toRow(message);
  const row = await tx.outboxMessage.create({ data, select: { id: true } });
  logUnmailable([data]);
  return row.id;
}

/** Queues many messages in one statement (alert fan-out), still inside the caller's transaction. */
export async function enqueueMailBatch(tx: Tx, messages: MailMessage[]): Promise<number> {
  if (messages.length === 0) return 0;
  const rows = messages.map(toRow);
  const result = await tx.outboxMessage.createMany({ data: rows });
  logUnmailable(rows);
  return result.count;
}
