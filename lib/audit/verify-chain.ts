import type { Db } from '@/lib/db/client';
import { AUDIT_GENESIS_HASH, chainHash } from '@/lib/audit/record';

export type ChainReport = { ok: true; count: number } | { ok: false; count: number; brokenAtSeq: number; reason: string };

/** Walks the whole chain in order and recomputes every link. */
export async function verifyAuditChain(database: Db, pageSize = 5000): Promise<ChainReport> {
  let prevHash = AUDIT_GENESIS_HASH;
  let expectedSeq = 1;
  for (;;) {
    const page = await database.auditEvent.findMany({
      where: { seq: { gte: expectedSeq } },
      orderBy: { seq: 'asc' },
      take: pageSize,
    });
    for (const event of page) {
      if (event.seq !== expectedSeq) {
        return { ok: false, count: expectedSeq - 1, brokenAtSeq: expectedSeq, reason: 'record missing' };
      }
      if (event.prevHash !== prevHash || chainHash(prevHash, event) !== event.hash) {
        return { ok: false, count: expectedSeq - 1, brokenAtSeq: event.seq, reason: 'record altered' };
      }
      prevHash = event.hash;
      expectedSeq += 1;
    }
    if (page.length < pageSize) break;
  }
  const head = await database.auditChainHead.findUnique({ where: { id: 1 } });
  const count = expectedSeq - 1;
  if (head && (head.lastSeq !== count || head.lastHash !== prevHash)) {
    return { ok: false, count, brokenAtSeq: count + 1, reason: 'records missing at the end of the chain' };
  }
  return { ok: true, count };
}
