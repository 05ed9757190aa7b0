// What an operator sees when an instance must not serve (NODE_ENV=production): exit 1 and one
// line per problem naming the variable; and the one summary line when it does.
import { existsSync } from 'node:fs';
import net from 'node:net';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations } from '@/scripts/db/migrate';
import { eventLines, spawnProductionServer, startProductionServer, TEST_SECRET, throwawaySqliteUrl, type ProductionServer } from '../support/production-server';

/** "VARIABLE: problem" for each `server.cannot_start` line, so that a line is easy to compare. */
const refusals = (server: ProductionServer) => eventLines(server, 'server.cannot_start').map((line) => `${String(line.variable)}: ${String(line.problem)}`);

let migratedUrl: string;
const complete = () => ({ DATABASE_URL: migratedUrl, APP_URL: 'http://127.0.0.1:9', NEXTAUTH_SECRET: TEST_SECRET, MAIL_TRANSPORT: 'file', MAIL_DIR: `${migratedUrl.slice(5)}-mail` });

beforeAll(async () => {
  migratedUrl = throwawaySqliteUrl();
  await applyMigrations(migratedUrl);
});

describe('[OPERATOR] production start-up', () => {
  it('refuses to start without DATABASE_URL, APP_URL, NEXTAUTH_SECRET or a mail transport, one line each', async () => {
    const server = await spawnProductionServer({});
    expect(await server.exited).toBe(1);
    const lines = eventLines(server, 'server.cannot_start');
    expect(lines.map((line) => line.variable)).toEqual(['DATABASE_URL', 'APP_URL', 'NEXTAUTH_SECRET', 'SMTP_URL']);
    expect(lines.every((line) => line.level === 60 && typeof line.problem === 'string' && line.problem.length > 0)).toBe(true);
    expect(lines[3]?.problem).toMatch(/MAIL_TRANSPORT=file/);
    expect(eventLines(server, 'server.listening')).toEqual([]);
  });

  it('refuses a bad value as well as a missing one', async () => {
    const server = await spawnProductionServer({ ...complete(), NEXTAUTH_SECRET: 'too-short', MAIL_TRANSPORT: undefined, SMTP_URL: 'http://mail.example' });
    expect(await server.exited).toBe(1);
    expect(eventLines(server, 'server.cannot_start').map((line) => line.variable)).toEqual(['NEXTAUTH_SECRET', 'SMTP_URL']);
  });

  it('refuses a database behind the latest migration, naming the first one missing', async () => {
    const url = throwawaySqliteUrl();
    await applyMigrations(url);
    const file = new Database(url.slice('file:'.length));
    const last = file.prepare('SELECT migration_name FROM _prisma_migrations ORDER BY migration_name DESC LIMIT 1').get() as { migration_name: string };
    file.prepare('DELETE FROM _prisma_migrations WHERE migration_name = ?').run(last.migration_name);
    file.close();
    const server = await spawnProductionServer({ ...complete(), DATABASE_URL: url });
    expect(await server.exited).toBe(1);
    expect(refusals(server)).toEqual([expect.stringMatching(new RegExp(`DATABASE_URL: .* behind by 1 migration\\(s\\), first ${last.migration_name}: run npm run db:migrate`))]);
  });

  it('refuses a database that was never migrated', async () => {
    const url = throwawaySqliteUrl();
    new Database(url.slice('file:'.length)).close();
    const server = await spawnProductionServer({ ...complete(), DATABASE_URL: url });
    expect(await server.exited).toBe(1);
    expect(refusals(server)).toEqual([expect.stringMatching(/DATABASE_URL: SQLite .* is behind by \d+ migration/)]);
  });

  it('takes a SQLite file that is not there (a volume not mounted) for a database down: it serves, makes no empty file, and is ready once the file is there (review r51d F2)', async () => {
    const url = throwawaySqliteUrl();
    const file = url.slice('file:'.length);
    const server = await startProductionServer({ ...complete(), DATABASE_URL: url, MAIL_WORKER: 'off' });
    try {
      expect(eventLines(server, 'server.database_unreachable')).toEqual([expect.objectContaining({ database: { kind: 'sqlite', host: file } })]);
      expect((await fetch(`${server.url}/api/ready`)).status).toBe(503);
      expect((await fetch(`${server.url}/help`)).status).toBe(200);
      expect(existsSync(file)).toBe(false);
      // The volume mounted, with its database: the same instance serves it.
      await applyMigrations(url);
      await expect.poll(async () => (await fetch(`${server.url}/api/ready`)).status, { timeout: 30_000 }).toBe(200);
    } finally {
      await server.stop();
    }
  });

  it('says plainly when the port is taken', async () => {
    const squatter = net.createServer();
    await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', () => resolve()));
    const { port } = squatter.address() as net.AddressInfo;
    try {
      const server = await spawnProductionServer(complete(), port);
      expect(await server.exited).toBe(1);
      expect(refusals(server)).toEqual([`PORT: port ${port} is already in use on 127.0.0.1:${port} (another server is running there): stop it or set PORT`]);
    } finally {
      squatter.close();
    }
  });

  it('logs one server.started line (database, mail without credentials, APP_URL, version), every line JSON, and stops on SIGTERM with 0', async () => {
    const server = await startProductionServer({ ...complete(), MAIL_TRANSPORT: undefined, SMTP_URL: 'smtp://mailer:mail-password@127.0.0.1:9', MAIL_WORKER: 'off' });
    expect(eventLines(server, 'server.started')).toEqual([
      expect.objectContaining({
        level: 30,
        version: '0.1.0',
        environment: 'production',
        database: { kind: 'sqlite', host: migratedUrl.slice(5) },
        mail: { transport: 'smtp://127.0.0.1:9', loop: 'off' },
        appUrl: 'http://127.0.0.1:9',
      }),
    ]);
    expect(server.output()).not.toMatch(/mail-password|mailer|production-test-secret/);
    expect(await server.stop('SIGTERM')).toBe(0);
    const events = server.logLines().map((line) => line.event);
    expect(events.indexOf('server.stopping')).toBeGreaterThan(events.indexOf('server.listening'));
    expect(eventLines(server, 'server.stopping')).toEqual([expect.objectContaining({ signal: 'SIGTERM' })]);
    expect(eventLines(server, 'server.stopped')).toEqual([expect.objectContaining({ durationMs: expect.any(Number) })]);
    // Nothing the lifecycle writes goes through console any more.
    expect(eventLines(server, 'console').filter((line) => /portal/.test(String(line.message)))).toEqual([]);
  });
});

