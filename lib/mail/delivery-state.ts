import { formatDateTime } from '@/lib/format/date';
import type { OutboxStatus } from '@/lib/generated/sqlite/enums';

/** A link mail's row in the outbox, as much as its sender may know: never its body. */
export type OutboxRow = { status: OutboxStatus; attempts: number; nextAttemptAt: Date; sentAt: Date | null; createdAt: Date };

export type Delivery = { state: 'queued' | 'retrying' | 'sent' | 'failed'; words: string };

/** What a vendor verifier can do about a link mail the outbox gave up on. */
export const ASK_OPERATOR_TO_REQUEUE =
  'Ask a status operator to queue it again (npm run mail:dead) once the mail server works; nobody can see or resend the link by hand.';

export type DeliveryWording = {
  /** The reader's zone: UTC on the vendor's pages, the agency's own in its console. */
  timeZone?: string;
  /** What this reader can do once the outbox gave up: an agency admin cannot run the vendor's commands. */
  ifFailed?: string;
};

/**
 * The link mail's delivery in honest words, read from the outbox: the use case only queues it, the
 * worker sends it later, and a mail server outage may retry it for hours or give up. One place for
 * the states; each reader brings its own zone and its own advice for a mail that failed.
 */
export function describeDelivery(row: OutboxRow, { timeZone = 'UTC', ifFailed = ASK_OPERATOR_TO_REQUEUE }: DeliveryWording = {}): Delivery {
  const when = (date: Date) => formatDateTime(date, timeZone);
  if (row.status === 'SENT') {
    return { state: 'sent', words: `Sent at ${when(row.sentAt ?? row.createdAt)} (handed to the mail server).` };
  }
  if (row.status === 'DEAD') {
    return { state: 'failed', words: `Failed: not delivered after ${row.attempts} tries. ${ifFailed}` };
  }
  if (row.attempts > 0) {
    const tries = `${row.attempts} ${row.attempts === 1 ? 'try' : 'tries'}`;
    return { state: 'retrying', words: `Retrying: not delivered after ${tries}; next try at ${when(row.nextAttemptAt)}.` };
  }
  return { state: 'queued', words: `Queued for e-mail at ${when(row.createdAt)}; not sent yet.` };
}
