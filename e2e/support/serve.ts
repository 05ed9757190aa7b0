// Playwright's webServer: a fresh e2e database (migrated, demo data), a real SMTP server on
// loopback that saves what it receives for the specs to read (e2e/support/mailbox.ts), and
// the built app on both.
import { rmSync } from 'node:fs';
import path from 'node:path';
import { applyMigrations } from '@/scripts/db/migrate';
import { seedDemoData } from '@/prisma/seed';
import { serveBuild } from '@/scripts/serve-build';
import { startSmtpSink } from '../../test/support/smtp-sink';
import { E2E_BASE_URL, E2E_DATABASE_URL, E2E_MAIL_DIR, E2E_PORT, E2E_SECRET } from './env';

if (E2E_DATABASE_URL.startsWith('file:')) rmSync(path.dirname(E2E_DATABASE_URL.slice(5)), { recursive: true, force: true });
rmSync(E2E_MAIL_DIR, { recursive: true, force: true });
await applyMigrations(E2E_DATABASE_URL);
await seedDemoData(E2E_DATABASE_URL);
const sink = await startSmtpSink(0, { saveTo: E2E_MAIL_DIR });

const server = serveBuild(
  E2E_PORT,
  {
    DATABASE_URL: E2E_DATABASE_URL,
    NEXTAUTH_SECRET: E2E_SECRET,
    APP_URL: E2E_BASE_URL,
    NEXTAUTH_URL: E2E_BASE_URL,
    SMTP_URL: sink.url,
    MAIL_POLL_MS: '200',
  },
  'inherit',
);
const stop = () => {
  server.kill('SIGTERM');
  void sink.stop();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
server.on('exit', (code) => process.exit(code ?? 0));
