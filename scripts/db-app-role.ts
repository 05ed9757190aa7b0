// npm run db:app-role -- <role> — as the owner in DATABASE_URL (who runs the migrations), creates
// or updates the role the app serves as: it may only INSERT and SELECT on the audit log. The
// role's password, if it should get one now, comes from APP_ROLE_PASSWORD (never an argument:
// those show in the process list).
import { databaseKind } from '../lib/db/kind';
import { applyAppRole } from './db/app-role';

async function main() {
  const role = process.argv[2] ?? '';
  const url = process.env.DATABASE_URL ?? '';
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(role) || process.argv.length > 3) {
    console.error('usage: DATABASE_URL=<owner url> npm run db:app-role -- <role>   (role: lower-case letters, digits, _)');
    process.exit(2);
  }
  if (!url || databaseKind(url) !== 'postgresql') {
    console.error('db:app-role: DATABASE_URL must be the PostgreSQL owner URL (SQLite has no roles: its triggers guard the audit log)');
    process.exit(2);
  }
  await applyAppRole(url, role, process.env.APP_ROLE_PASSWORD || undefined);
  console.log(`db:app-role: ${role} may use the portal's tables, and only INSERT and SELECT on AuditEvent`);
  if (!process.env.APP_ROLE_PASSWORD) console.log(`  no password set now: ALTER ROLE ${role} PASSWORD '…' (or APP_ROLE_PASSWORD=… and run again)`);
}

main().catch((error: unknown) => {
  console.error(`db:app-role failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
