// A NUL in what a form or a list's search sends, on PostgreSQL: its text columns refuse a NUL, so
// one that reached a query answered "Something went wrong" and logged an error (reviews r40a F2,
// r40b F2). defineAction refuses it as that field's problem before any schema or query reads it, and
// a list's search drops it. The e2e suite runs on SQLite, which stores a NUL: only here is the
// database that would refuse it behind the forms.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '@/lib/db/client';
import { totpCodeFor, totpStep } from '@/lib/mfa/totp';
import { DEMO_PASSWORD, DEMO_TOTP_SECRETS, seedDemoData } from '@/prisma/seed';
import { startThrowawayPostgres } from '@/test/support/throwaway-postgres';
import { formWithField, multipartBody } from '../support/html-form';
import { startMigratedProductionServer, TEST_SECRET, type ProductionServer } from '../support/production-server';

let postgres: { url: string; stop: () => Promise<void> };
let server: ProductionServer;

beforeAll(async () => {
  postgres = await startThrowawayPostgres();
  server = await startMigratedProductionServer({ MAIL_WORKER: 'off' }, postgres.url);
  // The seed seals the demo authenticator secrets with the server's NEXTAUTH_SECRET.
  process.env.NEXTAUTH_SECRET = TEST_SECRET;
  await seedDemoData(postgres.url);
});

afterAll(async () => {
  await server?.stop();
  await postgres?.stop().catch(() => {});
});

type Answer = { status: number; location: string | null; cookies: string[]; html: string };

async function get(path: string, cookie = ''): Promise<Answer> {
  return answerOf(await fetch(`${server.url}${path}`, { headers: { accept: 'text/html', cookie }, redirect: 'manual' }));
}

/** The first form on the page at `path` with a field `fieldName`, sent as a browser without JavaScript sends it, with `fields` set. */
async function sendForm(path: string, fieldName: string, fields: Record<string, string>, cookie = ''): Promise<Answer> {
  const { action, hidden } = formWithField((await get(path, cookie)).html, fieldName);
  const values = new Map<string, string>(hidden);
  for (const [name, value] of Object.entries(fields)) values.set(name, value);
  const { body, type } = multipartBody([...values]);
  const headers = { origin: server.url, accept: 'text/html', 'content-type': type, cookie };
  return answerOf(await fetch(`${server.url}${action || path}`, { method: 'POST', headers, body, redirect: 'manual' }));
}

async function answerOf(response: Response): Promise<Answer> {
  const cookies = response.headers.getSetCookie().map((cookie) => cookie.split(';')[0]!);
  return { status: response.status, location: response.headers.get('location'), cookies, html: await response.text() };
}

/** The session cookie an answer set (`name=value`). */
function sessionOf(answer: Answer): string {
  const session = answer.cookies.find((pair) => /session-token=./.test(pair));
  if (!session) throw new Error(`no session cookie in ${answer.status} ${answer.location}`);
  return session;
}

async function signIn(providerCode: string, loginName: string): Promise<string> {
  return sessionOf(await sendForm('/login', 'loginName', { providerCode, loginName, password: DEMO_PASSWORD }));
}

/** A provider admin's whole sign-in: password, then the authenticator app's code. */
async function signInWithCode(providerCode: string, loginName: 'pat.admin'): Promise<string> {
  const pending = await signIn(providerCode, loginName);
  const code = await totpCodeFor(DEMO_TOTP_SECRETS[`${providerCode}:${loginName}` as 'ACME-NY:pat.admin'], totpStep(new Date()));
  return sessionOf(await sendForm('/login/verify', 'code', { code }, pending));
}

function expectRefusedAsItsField(answer: Answer, what: string) {
  expect(answer.status, what).toBe(200);
  expect(answer.html, what).toContain('There is a problem with what you entered.');
  expect(answer.html, what).not.toContain('Something went wrong');
}

describe('[ANONYMOUS, STAFF, PROVIDER_ADMIN on PostgreSQL] a NUL sent in a form or a search', () => {
  it('is refused as the field’s problem in a public form and in a signed-in one, a search drops it, and no query sees it', async () => {
    const database = createDb(postgres.url);
    try {
      // Public: asking an agency's admins for help.
      for (const field of ['providerCode', 'loginName', 'message', 'formKey']) {
        const fields = { providerCode: 'ACME-NY', loginName: 'jsmith', message: 'Locked out', [field]: 'ACME\u0000-NY' };
        expectRefusedAsItsField(await sendForm('/help/ask-admin', 'providerCode', fields), `ask-admin ${field}`);
      }
      expect(await database.helpRequest.count()).toBe(0);

      // Signed in: a staff member adds an authenticator app, its name or the rendering's key holding a NUL.
      const staff = await signIn('ACME-NY', 'jsmith');
      for (const field of ['name', 'formKey']) {
        const fields = { name: 'Phone', currentPassword: DEMO_PASSWORD, [field]: 'Ph\u0000one' };
        expectRefusedAsItsField(await sendForm('/account/security', 'name', fields, staff), `add app ${field}`);
      }
      const jordan = await database.user.findFirstOrThrow({ where: { loginName: 'jsmith' } });
      expect(await database.mfaFactor.count({ where: { userId: jordan.id } })).toBe(0);

      // A provider admin's lists: a search holding a NUL searches for the rest of it.
      const admin = await signInWithCode('ACME-NY', 'pat.admin');
      const users = await get('/admin?q=Jor%00dan', admin);
      expect([users.status, users.html.includes('Jordan Smith')]).toEqual([200, true]);
      const inbox = await get('/admin/help-requests?q=%00', admin);
      expect(inbox.status).toBe(200);
      for (const page of [users, inbox]) expect(page.html).not.toContain('Something went wrong');
      // A path holding one, signed in: refused at the edge as for anyone (review r41e F2), before the session is read.
      const nulPath = await get(`/admin/users/${jordan.id}%00`, admin);
      expect([nulPath.status, nulPath.html.includes('Bad Request: the address is not valid.')]).toEqual([400, true]);
      // A signed-in form's id, which no schema reads as more than text: the first form on an account's page that names it.
      expectRefusedAsItsField(await sendForm(`/admin/users/${jordan.id}`, 'userId', { userId: `${jordan.id}\u0000` }, admin), 'userId');

      expect(server.logLines().filter((line) => line.level >= 50)).toEqual([]);
    } finally {
      await database.$disconnect();
    }
  });
});
