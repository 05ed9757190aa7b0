// Playwright's webServer: a fresh e2e database (migrated, demo data) and the built app on it.
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { applyMigrations } from '@/lib/db/migrations';
import { seedDemoData } from '@/prisma/seed';
import { E2E_BASE_URL, E2E_DATABASE_URL, E2E_PORT, E2E_SECRET } from './env';

const root = path.resolve(import.meta.dirname, '../..');

if (E2E_DATABASE_URL.startsWith('file:')) rmSync(path.dirname(E2E_DATABASE_URL.slice(5)), { recursive: true, force: true });
await applyMigrations(E2E_DATABASE_URL);
await seedDemoData(E2E_DATABASE_URL);

const server = spawn(process.execPath, ['server.mjs'], {
  cwd: root,
  stdio: 'inherit',
  env: {
    ...process.env,
    NODE_ENV: 'production',
    NEXT_TELEMETRY_DISABLED: '1',
    PORT: String(E2E_PORT),
    HOST: '127.0.0.1',
    DATABASE_URL: E2E_DATABASE_URL,
    NEXTAUTH_SECRET: E2E_SECRET,
    APP_URL: E2E_BASE_URL,
    NEXTAUTH_URL: E2E_BASE_URL,
  },
});
const stop = () => server.kill('SIGTERM');
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
server.on('exit', (code) => process.exit(code ?? 0));
