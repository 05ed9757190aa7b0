import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { chainHash, recordAuditAlone } from '@/lib/audit/record';
import { verifyAuditChain } from '@/lib/audit/verify-chain';
import { db } from '@/lib/db/client';
import { withFreshDatabase } from '../support/fresh-database';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');

async function auditVerify(databaseUrl = process.env.DATABASE_URL) {
  try {
    const { stdout } = await run(path.join(root, 'node_modules/.bin/tsx'), ['scripts/audit-verify.ts'], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: databaseUrl },
    });
    return { code: 0, output: stdout };
  } catch (error) {
    const failure = error as { code: number; stderr: string };
    return { code: failure.code, output: failure.stderr };
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
    await expect(db().auditEvent.update({ where: { seq: last.seq }, data: { outcome: 'FAILURE' } })).rejects.toThrow();
    await expect(db().auditEvent.delete({ where: { seq: last.seq } })).rejects.toThrow();
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
});
