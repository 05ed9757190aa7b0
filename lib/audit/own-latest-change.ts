import { db } from '@/lib/db/client';
import { SAID_FOR_SECONDS } from '@/lib/http/done-notice';

/** As long as a done notice is said for: past it, a copy sent again is no double click. */
const JUST_NOW_MS = SAID_FOR_SECONDS * 1000;

/**
 * Whether the latest change recorded on a record, by anyone (a requester's cancel, the clock's expiry
 * included: review r51i F1), is `action` by this staff member, just now. A step refused because the
 * record moved on is then a second copy of their own form (a browser that sent both clicks, a POST sent
 * again, another tab), and is told it was done, not that someone else changed the record and nothing
 * was done (review r51f F1). Only for steps that carry nothing typed: a second copy with other words in
 * it was not done as sent.
 */
export async function isOwnLatestChange(
  target: { type: string; id: string },
  action: string,
  vendorAccountId: string,
  now = new Date(),
): Promise<boolean> {
  const latest = await db().auditEvent.findFirst({
    where: { targetType: target.type, targetId: target.id, outcome: 'SUCCESS' },
    orderBy: { seq: 'desc' },
    select: { action: true, actorId: true, createdAt: true },
  });
  return latest?.action === action && latest.actorId === vendorAccountId && now.getTime() - latest.createdAt.getTime() <= JUST_NOW_MS;
}
