import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it, vi } from 'vitest';
import { chainHash, recordAuditAlone } from '@/lib/audit/record';
import { currentChainHead, verifyAuditChain } from '@/lib/audit/verify-chain';
import { db, type Db } from '@/lib/db/client';
import { databaseKind } from '@/lib/db/kind';
import { withFreshDatabase } from '../support/fresh-database';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');

async function auditVerify(databaseUrl = process.env.DATABASE_URL, args: string[] = []) {
  try {
    const { stdout } = await run(path.join(root, 'node_modules/.bin/tsx'), ['scripts/audit-verify.ts', ...args], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: databaseUrl },
    });
    return { code: 0, output: stdout };
  } catch (error) {
    const failure = error as { code: number; stderr: string };
    return { code: failure.code, output: failure.stderr };
  }
}

/** What someone with the owner's rights would do first: switch off the append-only triggers. */
async function disableAppendOnlyTriggers(database: Db) {
  if (databaseKind(process.env.DATABASE_URL!) === 'sqlite') {
    await database.$executeRawUnsafe('DROP TRIGGER "AuditEvent_no_update"');
    await database.$executeRawUnsafe('DROP TRIGGER "AuditEvent_no_delete"');
  } else {
    await database.$executeRawUnsafe('ALTER TABLE "AuditEvent" DISABLE TRIGGER USER');
  }
}

describe('audit chain', () => {
  it('stays one unbroken chain under concurrent appends', async () => {
    await Promise.all(
      Array.from({ length: 25 }, (_, i) =>
        recordAuditAlone(db(), { actorType: 'SYSTEM', action: 'TEST_EVENT', outcome: 'SUCCESS', details: { i } }),
      ),
    );
    expect(await verifyAuditChain(db())).toMatchObject({ ok: true });
    const { code, output } = await auditVerify();
    expect(code).toBe(0);
    expect(output).toMatch(/chain intact/);
  });

  it('refuses to update or delete a record', async () => {
    await recordAuditAlone(db(), { actorType: 'SYSTEM', action: 'TEST_EVENT', outcome: 'SUCCESS' });
    const last = await db().auditEvent.findFirstOrThrow({ orderBy: { seq: 'desc' } });
    // Refused by the table's own trigger (any other error would pass a bare toThrow); Prisma files
    // SQLite's trigger abort under another code, so the database's own message is what is checked.
    const byTheTrigger = { meta: { driverAdapterError: { cause: { originalMessage: 'AuditEvent is append-only' } } } };
    await expect(db().auditEvent.update({ where: { seq: last.seq }, data: { outcome: 'FAILURE' } })).rejects.toMatchObject(byTheTrigger);
    await expect(db().auditEvent.delete({ where: { seq: last.seq } })).rejects.toMatchObject(byTheTrigger);
  });

  it('detects a forged record and `npm run audit:verify` exits non-zero', async () => {
    await withFreshDatabase(async (database, url) => {
      await recordAuditAlone(database, { actorType: 'SYSTEM', action: 'TEST_EVENT', outcome: 'SUCCESS' });
      const head = await database.auditChainHead.findUniqueOrThrow({ where: { id: 1 } });
      // Someone with database access appends a record without knowing how to chain it.
      const forged = {
        seq: head.lastSeq + 1,
        createdAt: new Date(),
        actorType: 'USER',
        actorId: 'intruder',
        agencyId: null,
        action: 'PASSWORD_CHANGED',
        targetType: null,
        targetId: null,
        ip: null,
        outcome: 'SUCCESS',
        details: null,
      };
      await database.auditEvent.create({ data: { ...forged, prevHash: 'f'.repeat(64), hash: chainHash('f'.repeat(64), forged) } });

      expect(await verifyAuditChain(database)).toMatchObject({ ok: false, brokenAtSeq: forged.seq });
      const { code, output } = await auditVerify(url);
      expect(code).toBe(1);
      expect(output).toMatch(/BROKEN/);
    });
  });

  it('[AUDITOR] finds records cut from the end, the head row moved back to match, with a head from the log; and a head row gone (review r51g F2)', async () => {
    await withFreshDatabase(async (database, url) => {
      for (let i = 0; i < 3; i++) await recordAuditAlone(database, { actorType: 'SYSTEM', action: 'TEST_EVENT', outcome: 'SUCCESS', details: { i } });
      const logged = (await currentChainHead(database))!;
      expect(logged.seq).toBeGreaterThanOrEqual(3);
      const kept = await database.auditEvent.findFirstOrThrow({ where: { seq: logged.seq - 1 } });
      await disableAppendOnlyTriggers(database);
      await database.auditEvent.delete({ where: { seq: logged.seq } });
      await database.auditChainHead.update({ where: { id: 1 }, data: { lastSeq: kept.seq, lastHash: kept.hash } });

      // Inside the database the shortened chain holds together: only the head logged outside it tells.
      expect(await verifyAuditChain(database)).toMatchObject({ ok: true, count: kept.seq });
      expect(await verifyAuditChain(database, undefined, logged)).toMatchObject({ ok: false, brokenAtSeq: logged.seq });
      const { code, output } = await auditVerify(url, ['--expect', `${logged.seq}:${logged.hash}`]);
      expect([code, output]).toEqual([1, expect.stringMatching(/BROKEN .*the log saw record/)]);
      // A head the chain still holds passes; one whose record was rewritten does not.
      expect(await verifyAuditChain(database, undefined, { seq: kept.seq, hash: kept.hash })).toMatchObject({ ok: true });
      expect(await verifyAuditChain(database, undefined, { seq: kept.seq, hash: '0'.repeat(64) })).toMatchObject({ ok: false, brokenAtSeq: kept.seq });
      expect((await auditVerify(url, ['--expect', 'not-a-head'])).code).toBe(2);

      await database.auditChainHead.delete({ where: { id: 1 } });
      expect(await verifyAuditChain(database)).toMatchObject({ ok: false, reason: "the chain's head row is missing" });
    });
  });

  it('[OPERATOR] the status round logs the chain’s head once it moved, for audit:verify --expect', async () => {
    const lines: Record<string, unknown>[] = [];
    const { logger } = await import('@/lib/observability/logger.mjs');
    const spy = vi.spyOn(logger, 'info').mockImplementation(((line: Record<string, unknown>) => void lines.push(line)) as never);
    try {
      const { logChainHead } = await import('@/lib/audit/log-chain-head');
      await recordAuditAlone(db(), { actorType: 'SYSTEM', action: 'TEST_EVENT', outcome: 'SUCCESS' });
      await logChainHead(db());
      await logChainHead(db());
      const head = (await currentChainHead(db()))!;
      expect(lines.filter((line) => line.event === 'audit.chain_head')).toEqual([{ event: 'audit.chain_head', seq: head.seq, hash: head.hash }]);
      await recordAuditAlone(db(), { actorType: 'SYSTEM', action: 'TEST_EVENT', outcome: 'SUCCESS' });
      await logChainHead(db());
      expect(lines.filter((line) => line.event === 'audit.chain_head')).toHaveLength(2);
    } finally {
      spy.mockRestore();
    }
  });

  it('covers the request id: records without one keep the hash they were written with; changing or removing one breaks the chain', async () => {
    await withFreshDatabase(async (database, url) => {
      await recordAuditAlone(database, { actorType: 'SYSTEM', action: 'TEST_EVENT', outcome: 'SUCCESS' });
      await recordAuditAlone(database, { actorType: 'SYSTEM', action: 'TEST_EVENT', outcome: 'SUCCESS', requestId: 'req-1111' });
      await recordAuditAlone(database, { actorType: 'SYSTEM', action: 'TEST_EVENT', outcome: 'SUCCESS' });
      const [older, withId] = await database.auditEvent.findMany({ orderBy: { seq: 'asc' } });
      expect(older!.requestId).toBeNull();
      expect(withId!.requestId).toBe('req-1111');
      // The formula from before the column existed, written out: older records must still match it.
      const o = older!;
      const before = [o.prevHash, o.seq, o.createdAt.toISOString(), o.actorType, o.actorId, o.agencyId, o.action, o.targetType, o.targetId, o.ip, o.outcome, o.details];
      expect(createHash('sha256').update(JSON.stringify(before)).digest('hex')).toBe(o.hash);
      expect(await verifyAuditChain(database)).toEqual({ ok: true, count: 3 });

      await disableAppendOnlyTriggers(database);
      const tamper = (requestId: string | null, seq = withId!.seq) =>
        database.$executeRaw`UPDATE "AuditEvent" SET "requestId" = ${requestId} WHERE "seq" = ${seq}`;
      for (const forged of ['req-2222', null, '']) {
        await tamper(forged);
        expect(await verifyAuditChain(database)).toMatchObject({ ok: false, brokenAtSeq: withId!.seq, reason: 'record altered' });
      }
      await tamper('req-1111');
      expect(await verifyAuditChain(database)).toEqual({ ok: true, count: 3 });
      // A request id slipped onto a record that had none breaks it too.
      await tamper('req-3333', older!.seq);
      expect(await verifyAuditChain(database)).toMatchObject({ ok: false, brokenAtSeq: older!.seq });
      const { code, output } = await auditVerify(url);
      expect(code).toBe(1);
      expect(output).toMatch(new RegExp(`BROKEN at record ${older!.seq}`));
    });
  });

  it('outside a request (scripts, workers, tests) a record carries no request id', async () => {
    await recordAuditAlone(db(), { actorType: 'SYSTEM', action: 'TEST_EVENT', outcome: 'SUCCESS' });
    const last = await db().auditEvent.findFirstOrThrow({ orderBy: { seq: 'desc' } });
    expect(last.requestId).toBeNull();
  });
});
