import { recordAudit } from '@/lib/audit/record';
import { db, type Db } from '@/lib/db/client';
import { UNMAILABLE } from '@/lib/mail/outbox';

/** Messages that ran out of attempts: what operators look at after a long mail outage. */
export function listDeadMessages(database: Db, take = 100) {
  return database.outboxMessage.findMany({
    where: { status: 'DEAD' },
    orderBy: { createdAt: 'asc' },
    take,
    select: { id: true, template: true, toAddress: true, subject: true, attempts: true, lastError: true, createdAt: true },
  });
}

export function countDeadMessages(database: Db = db()) {
  return database.outboxMessage.count({ where: { status: 'DEAD' } });
}

/** Dead for their recipient (UNMAILABLE): no round of attempts can send them, so no requeue takes them. */
const DEAD_FOR_RECIPIENT = { status: 'DEAD' as const, lastError: UNMAILABLE };
/** Dead because every attempt failed: a requeue sends them again once the mail server works. */
const DEAD_AFTER_ATTEMPTS = { status: 'DEAD' as const, OR: [{ lastError: null }, { lastError: { not: UNMAILABLE } }] };

/** How far back /vendor counts mail dead for its address: it stays dead for good, and would be counted for good. */
export const FOR_RECIPIENT_COUNTED_DAYS = 7;

/**
 * Dead messages as an operator acts on them: those a requeue would send again, and those it never will,
 * which wait for an address on record to be corrected, queued in the last FOR_RECIPIENT_COUNTED_DAYS
 * (review r52b F6: the one count, said to be "after every retry", never fell for the second kind; r52f F9).
 */
export async function countDeadMessagesByCause(database: Db = db(), now = new Date()): Promise<{ afterAttempts: number; forRecipient: number }> {
  const since = new Date(now.getTime() - FOR_RECIPIENT_COUNTED_DAYS * 86_400_000);
  const [afterAttempts, forRecipient] = await Promise.all([
    database.outboxMessage.count({ where: DEAD_AFTER_ATTEMPTS }),
    database.outboxMessage.count({ where: { ...DEAD_FOR_RECIPIENT, createdAt: { gte: since } } }),
  ]);
  return { afterAttempts, forRecipient };
}

/**
 * Puts dead messages back in the queue for a fresh round of attempts (one id, or all); not those dead
 * for their recipient, which no round can send (the worker would only find so again).
 */
export async function requeueDeadMessages(database: Db, which: { id: string } | 'all'): Promise<number> {
  return database.$transaction(async (tx) => {
    const result = await tx.outboxMessage.updateMany({
      where: { ...DEAD_AFTER_ATTEMPTS, ...(which === 'all' ? {} : { id: which.id }) },
      data: { status: 'PENDING', attempts: 0, nextAttemptAt: new Date(), lastError: null },
    });
    // A requeue that matched nothing changed nothing, and leaves no record (the typed id would be its target; review r34g F4).
    if (result.count === 0) return 0;
    await recordAudit(tx, {
      actorType: 'SYSTEM',
      action: 'MAIL_REQUEUED',
      outcome: 'SUCCESS',
      targetType: 'OutboxMessage',
      targetId: which === 'all' ? null : which.id,
      details: { count: result.count },
    });
    return result.count;
  });
}
