import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { recordAuditAlone } from '@/lib/audit/record';
import { verifyAuditChain } from '@/lib/audit/verify-chain';
import { createDb } from '@/lib/db/client';
import { applyMigrations } from '@/scripts/db/migrate';
import { backupSqlite, pgDumpCommand } from './backup';

describe('db:backup', () => {
  it('[OPERATOR] copies a live SQLite database while audit records are written; the copy’s chain verifies', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'portal-backup-'));
    const url = `file:${path.join(dir, 'portal.db')}`;
    await applyMigrations(url);
    const database = createDb(url);
    for (let i = 0; i < 50; i += 1) await recordAuditAlone(database, { actorType: 'SYSTEM', action: 'BACKUP_TEST', outcome: 'SUCCESS', details: { i } });
    let writing = true;
    const writer = (async () => {
      let written = 0;
      while (writing) {
        await recordAuditAlone(database, { actorType: 'SYSTEM', action: 'BACKUP_TEST', outcome: 'SUCCESS', details: { written } });
        written += 1;
        // The server writes from another process; here, leave the event loop to the backup's steps.
        await new Promise((resolve) => setImmediate(resolve));
      }
      return written;
    })();
    const copies = [];
    for (let i = 0; i < 3; i += 1) copies.push(await backupSqlite(url, path.join(dir, 'backups'), new Date(Date.now() + i * 1000)));
    writing = false;
    expect(await writer).toBeGreaterThan(0);
    for (const copy of copies) {
      const restored = createDb(`file:${copy}`);
      const report = await verifyAuditChain(restored);
      expect(report).toMatchObject({ ok: true });
      expect(report.count).toBeGreaterThanOrEqual(50);
      await restored.$disconnect();
    }
    await database.$disconnect();
  });

  it('[OPERATOR] prints the pg_dump command for PostgreSQL without the password', () => {
    const command = pgDumpCommand('postgresql://portal:very-secret@db.internal:5432/portal', 'data/backups', new Date('2026-12-01T01:02:03Z'));
    expect(command).toBe("pg_dump --format=custom --no-owner --file='data/backups/portal-20261201T010203Z.dump' 'postgresql://portal@db.internal:5432/portal'");
    expect(command).not.toContain('very-secret');
    // A password in the query is left out too, and a folder's `$`, backtick or quote stays text for the shell (review r34g F8).
    const odd = pgDumpCommand('postgresql://portal@db.internal/portal?sslmode=require&password=leak&sslpassword=leak2', "x/$(rm -rf ~)`id`/it's", new Date('2026-12-01T01:02:03Z'));
    expect(odd).not.toContain('leak');
    expect(odd).toContain('sslmode=require');
    // The rest of the query stays as written.
    expect(pgDumpCommand('postgresql://portal@h/portal?options=-c%20search_path%3Dx&password=p&passfile=%2Fpgpass', 'b', new Date(0))).toContain("'postgresql://portal@h/portal?options=-c%20search_path%3Dx&passfile=%2Fpgpass'");
    expect(odd).toContain(`--file='x/$(rm -rf ~)\`id\`/it'\\''s/portal-20261201T010203Z.dump'`);
  });
});
