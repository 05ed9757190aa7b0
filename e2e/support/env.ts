// Settings shared by the Playwright config, the server it starts and the specs'
// own database access. Importing this module points DATABASE_URL at the e2e database.
import path from 'node:path';

export const E2E_PORT = Number(process.env.E2E_PORT ?? 3100);
// localhost, not 127.0.0.1: WebAuthn refuses IP-address origins, and plain http is a secure
// context only on localhost. The server still listens on 127.0.0.1 alone (serve.ts) and the
// browser is told to resolve localhost there (playwright.config.ts), so every request comes
// from 127.0.0.1 as the specs expect, never from ::1.
export const E2E_BASE_URL = `http://localhost:${E2E_PORT}`;
export const E2E_DATABASE_URL =
  process.env.E2E_DATABASE_URL ?? `file:${path.resolve(import.meta.dirname, '../../data/e2e/portal.db')}`;
/** Where the e2e SMTP server saves each message it receives. */
export const E2E_MAIL_DIR = process.env.E2E_MAIL_DIR ?? path.resolve(import.meta.dirname, `../../data/e2e-mail-${E2E_PORT}`);
export const E2E_SECRET = 'e2e-only-secret-not-used-anywhere-else-000000000001';

process.env.DATABASE_URL = E2E_DATABASE_URL;
process.env.NEXTAUTH_SECRET = E2E_SECRET;
process.env.APP_URL = E2E_BASE_URL;
