// `npm run demo`: the embedded default (SQLite, demo data, mail to files), built and served.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { mailboxKeyFor } from '../lib/mail/mailbox-key.mjs';

const root = path.resolve(import.meta.dirname, '..');
const envFile = path.join(root, '.env.local');

// A per-machine session key, kept out of git; Next.js loads .env.local by itself.
const envText = existsSync(envFile) ? readFileSync(envFile, 'utf8') : '';
if (!/^NEXTAUTH_SECRET=/m.test(envText)) {
  const line = `NEXTAUTH_SECRET=${randomBytes(32).toString('base64url')}\n`;
  writeFileSync(envFile, envText + (envText && !envText.endsWith('\n') ? '\n' : '') + line, { mode: 0o600 });
  console.log('demo: wrote a new NEXTAUTH_SECRET to .env.local');
}
// As Next.js reads it: a value in quotes is the text inside them.
const secret = /^NEXTAUTH_SECRET=(.*)$/m.exec(readFileSync(envFile, 'utf8'))[1].trim().replace(/^(['"])(.*)\1$/, '$2');
// Production refuses to guess these (lib/config.ts); the demo's choices are the embedded defaults.
const env = {
  ...process.env,
  NEXTAUTH_SECRET: process.env.NEXTAUTH_SECRET ?? secret,
  DATABASE_URL: process.env.DATABASE_URL ?? 'file:./data/portal.db',
  APP_URL: process.env.APP_URL ?? 'http://localhost:3000',
  NEXT_TELEMETRY_DISABLED: '1',
};

function run(command, args, extraEnv = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...env, ...extraEnv } });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const bin = (name) => path.join(root, 'node_modules', '.bin', name);
run(bin('tsx'), ['scripts/prepare-database.ts']);
run(bin('next'), ['build', '--webpack']);
// The demo keeps mail in local files and shows them at /dev/mailbox (never with SMTP_URL).
const mailbox = process.env.SMTP_URL ? {} : { DEV_MAILBOX: 'on', MAIL_TRANSPORT: 'file' };
if (!process.env.SMTP_URL) console.log(`demo: mail is written to data/mail and listed at ${env.APP_URL}/dev/mailbox?key=${mailboxKeyFor(env.NEXTAUTH_SECRET)}`);
run(process.execPath, ['server.mjs'], { NODE_ENV: 'production', ...mailbox });
