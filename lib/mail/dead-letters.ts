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

/**
 * Puts dead messages back in the queue for a fresh round of attempts (one id, or all); not those dead
 * for their recipient, which no round can send (the worker would only find so again).
 */
export async function requeueDeadMessages(database: Db, which: { id: string } | 'all'): Promise<number> {
  return database.$transaction(async (tx) => {
    const result = await tx.outboxMessage.updateMany({
      where: { status: 'DEAD', OR: [{ lastError: null }, { lastError: { not: UNMAILABLE } }], ...(which === 'all' ? {} : { id: which.id }) },
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
