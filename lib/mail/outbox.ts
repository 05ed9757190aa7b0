import { z } from 'zod';
import type { Tx } from '@/lib/db/client';
import { seal } from '@/lib/mail/seal';

/** The only extra headers a message may carry; everything else is built by the transport. */
const ALLOWED_HEADERS = ['List-Unsubscribe', 'List-Unsubscribe-Post', 'Auto-Submitted'] as const;

const noLineBreaks = (label: string) =>
  z.string().refine((value) => !/[\r\n\u0000]/.test(value), `${label} must not contain line breaks`);

// Header values reach SMTP: a CR or LF in any of them would let content forge headers.
export const mailMessageSchema = z.object({
  template: z.string().regex(/^[a-z0-9-]+$/),
  to: noLineBreaks('Recipient').pipe(z.email('Recipient must be an e-mail address').max(254)),
  subject: noLineBreaks('Subject').pipe(z.string().min(1).max(200)),
  text: z.string().min(1),
  html: z.string().min(1),
  headers: z.partialRecord(z.enum(ALLOWED_HEADERS), noLineBreaks('Header').pipe(z.string().max(500))).optional(),
  /** The body holds a secret (a single-use link): sealed while queued, wiped once sent. */
  sensitive: z.boolean().optional(),
});

export type MailMessage = z.input<typeof mailMessageSchema>;

export class UnsafeMailError extends Error {}

function toRow(message: MailMessage) {
  const parsed = mailMessageSchema.safeParse(message);
  if (!parsed.success) {
    throw new UnsafeMailError(`refused to queue mail "${message.template}": ${parsed.error.issues.map((i) => i.message).join('; ')}`);
  }
  const { template, to, subject, text, html, headers, sensitive = false } = parsed.data;
  return {
    template,
    toAddress: to,
    subject,
    textBody: sensitive ? seal(text) : text,
    htmlBody: sensitive ? seal(html) : html,
    headers: headers ? JSON.stringify(headers) : null,
    sensitive,
  };
}

/**
 * Queues a message inside the caller's transaction: the change that causes the mail and
 * the mail itself commit together or not at all. Delivery happens later (lib/mail/worker.ts).
 */
export async function enqueueMail(tx: Tx, message: MailMessage): Promise<string> {
  const row = await tx.outboxMessage.create({ data: toRow(message), select: { id: true } });
  return row.id;
}

/** Queues many messages in one statement (alert fan-out), still inside the caller's transaction. */
export async function enqueueMailBatch(tx: Tx, messages: MailMessage[]): Promise<number> {
  if (messages.length === 0) return 0;
  const result = await tx.outboxMessage.createMany({ data: messages.map(toRow) });
  return result.count;
}
