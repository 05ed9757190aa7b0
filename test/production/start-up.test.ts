// What an operator sees when an instance must not serve (NODE_ENV=production): exit 1 and one
// line per problem naming the variable; and the one summary line when it does.
import net from 'node:net';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations } from '@/scripts/db/migrate';
import { spawnProductionServer, startProductionServer, TEST_SECRET, throwawaySqliteUrl } from '../support/production-server';

const refusals = (output: string) => output.split('\n').filter((line) => line.startsWith('portal: cannot start: '));

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
    const lines = refusals(server.output());
    expect(lines.map((line) => line.replace('portal: cannot start: ', '').split(':')[0])).toEqual(['DATABASE_URL', 'APP_URL', 'NEXTAUTH_SECRET', 'SMTP_URL']);
    expect(lines[3]).toMatch(/MAIL_TRANSPORT=file/);
    expect(server.output()).not.toMatch(/listening on/);
  });

  it('refuses a bad value as well as a missing one', async () => {
    const server = await spawnProductionServer({ ...complete(), NEXTAUTH_SECRET: 'too-short', MAIL_TRANSPORT: undefined, SMTP_URL: 'http://mail.example' });
    expect(await server.exited).toBe(1);
    expect(refusals(server.output()).map((line) => line.split(': ')[2])).toEqual(['NEXTAUTH_SECRET', 'SMTP_URL']);
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
    expect(refusals(server.output())).toEqual([expect.stringMatching(new RegExp(`DATABASE_URL: .* behind by 1 migration\\(s\\), first ${last.migration_name}: run npm run db:migrate`))]);
  });

  it('refuses a database that was never migrated', async () => {
    const server = await spawnProductionServer({ ...complete(), DATABASE_URL: throwawaySqliteUrl() });
    expect(await server.exited).toBe(1);
    expect(refusals(server.output())).toEqual([expect.stringMatching(/DATABASE_URL: SQLite .* is behind by \d+ migration/)]);
  });

  it('says plainly when the port is taken', async () => {
    const squatter = net.createServer();
    await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', () => resolve()));
    const { port } = squatter.address() as net.AddressInfo;
    try {
      const server = await spawnProductionServer(complete(), port);
      expect(await server.exited).toBe(1);
      expect(refusals(server.output())).toEqual([`portal: cannot start: port ${port} is already in use on 127.0.0.1:${port} (another server is running there): stop it or set PORT`]);
    } finally {
      squatter.close();
    }
  });

  it('prints one summary line (database, mail without credentials, APP_URL, version) and stops on SIGTERM with 0', async () => {
    const server = await startProductionServer({ ...complete(), MAIL_TRANSPORT: undefined, SMTP_URL: 'smtp://mailer:mail-password@127.0.0.1:9', MAIL_WORKER: 'off' });
    const summary = server.output().split('\n').filter((line) => line.startsWith('portal 0.1.0: '));
    expect(summary).toEqual([
      `portal 0.1.0: production, database SQLite ${migratedUrl.slice(5)}, mail smtp://127.0.0.1:9 (delivery loop off), APP_URL http://127.0.0.1:9`,
    ]);
    expect(server.output()).not.toMatch(/mail-password|mailer|production-test-secret/);
    expect(await server.stop('SIGTERM')).toBe(0);
  });
});

