import type { OutboxStatus } from '@/lib/generated/sqlite/enums';
import { formatWhen } from '@/lib/mail/templates/super-admin-shared';

/** The approval mail's row in the outbox, as much as a verifier may know: never its body. */
export type OutboxRow = { status: OutboxStatus; attempts: number; nextAttemptAt: Date; sentAt: Date | null; createdAt: Date };

export type Delivery = { state: 'queued' | 'retrying' | 'sent' | 'failed'; words: string };

/**
 * The link mail's delivery in honest words, read from the outbox: approval only queues it, the
 * worker sends it later, and a mail server outage may retry it for hours or give up.
 */
export function describeDelivery(row: OutboxRow): Delivery {
  if (row.status === 'SENT') {
    return { state: 'sent', words: `Sent at ${formatWhen(row.sentAt ?? row.createdAt)} (handed to the mail server).` };
  }
  if (row.status === 'DEAD') {
    return {
      state: 'failed',
      words: `Failed: not delivered after ${row.attempts} tries. Ask a status operator to queue it again (npm run mail:dead) once the mail server works; nobody can see or resend the link by hand.`,
    };
  }
  if (row.attempts > 0) {
    const tries = `${row.attempts} ${row.attempts === 1 ? 'try' : 'tries'}`;
    return { state: 'retrying', words: `Retrying: not delivered after ${tries}; next try at ${formatWhen(row.nextAttemptAt)}.` };
  }
  return { state: 'queued', words: `Queued for e-mail at ${formatWhen(row.createdAt)}; not sent yet.` };
}
