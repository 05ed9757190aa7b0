import type { Db } from '@/lib/db/client';
import { AUDIT_GENESIS_HASH, chainHash } from '@/lib/audit/record';

export type ChainReport = { ok: true; count: number } | { ok: false; count: number; brokenAtSeq: number; reason: string };

/** A head the chain had once, as logged outside the database (`audit.chain_head`): the record at `seq` had `hash`. */
export type LoggedHead = { seq: number; hash: string };

/**
 * Walks the whole chain in order and recomputes every link. Records cut from the end, with the head row
 * moved back to match, leave a chain that holds together: only a head known from outside the database
 * (`expected`, from the log) shows them gone (review r51g F2).
 */
export async function verifyAuditChain(database: Db, pageSize = 5000, expected?: LoggedHead): Promise<ChainReport> {
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
      if (expected && event.seq === expected.seq && event.hash !== expected.hash) {
        return { ok: false, count: expectedSeq - 1, brokenAtSeq: event.seq, reason: 'record differs from the head logged then' };
      }
      prevHash = event.hash;
      expectedSeq += 1;
    }
    if (page.length < pageSize) break;
  }
  const head = await database.auditChainHead.findUnique({ where: { id: 1 } });
  const count = expectedSeq - 1;
  if (expected && expected.seq > count) {
    return { ok: false, count, brokenAtSeq: count + 1, reason: `records missing at the end of the chain: the log saw record ${expected.seq}` };
  }
  // A migration made the head row, and every record moves it in its transaction: it is never missing.
  if (!head) return { ok: false, count, brokenAtSeq: count + 1, reason: "the chain's head row is missing" };
  if (head.lastSeq !== count || head.lastHash !== prevHash) {
    return { ok: false, count, brokenAtSeq: count + 1, reason: 'records missing at the end of the chain' };
  }
  return { ok: true, count };
}

/** The chain's head as it stands, for the log (`audit.chain_head`): null before the first record. */
export async function currentChainHead(database: Db): Promise<LoggedHead | null> {
  const head = await database.auditChainHead.findUnique({ where: { id: 1 }, select: { lastSeq: true, lastHash: true } });
  return head && head.lastSeq > 0 ? { seq: head.lastSeq, hash: head.lastHash } : null;
}
