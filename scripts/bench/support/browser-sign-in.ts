// The HTTP a browser without JavaScript makes to sign in: GET /login, read the form (its action,
// method and hidden fields, whatever they are), POST it as multipart/form-data from the page's
// origin, and follow the redirect to the landing page with the session cookie.
import http from 'node:http';
import { gunzipSync } from 'node:zlib';
import { formWithField, multipartBody } from '@/test/support/html-form';
import { request } from './serve';

export type SignInOutcome = { ok: boolean; status: number; ms: number; detail?: string; session?: { cookies: string; landing: string } };

const decode = (body: Buffer, encoding: string | string[] | undefined) => (encoding === 'gzip' ? gunzipSync(body) : body).toString('utf8');

/**
 * `followRedirect: false` stops at the POST's 303 with the session cookie (what a sign-in costs, as
 * next-auth's csrf + callback pair did); the session it returns can open the landing page later.
 */
export async function browserSignIn(
  agent: http.Agent,
  port: number,
  creds: { providerCode: string; loginName: string; password: string },
  { followRedirect = true }: { followRedirect?: boolean } = {},
): Promise<SignInOutcome> {
  const started = performance.now();
  const origin = `http://127.0.0.1:${port}`;
  const page = await request(agent, port, '/login', { headers: { accept: 'text/html' } });
  if (page.status !== 200) return { ok: false, status: page.status, ms: performance.now() - started, detail: 'GET /login' };
  const form = formWithField(decode(page.body, page.headers['content-encoding']), 'loginName');
  const { body, type } = multipartBody([...form.hidden, ['providerCode', creds.providerCode], ['loginName', creds.loginName], ['password', creds.password]]);
  const posted = await request(agent, port, form.action || '/login', {
    method: 'POST',
    body,
    headers: { 'content-type': type, 'content-length': String(Buffer.byteLength(body)), origin, referer: `${origin}/login`, accept: 'text/html' },
  });
  const location = posted.headers.location;
  const cookies = (posted.headers['set-cookie'] ?? []).map((cookie) => cookie.split(';')[0]).join('; ');
  if (posted.status !== 303 || !location || !cookies) {
    return { ok: false, status: posted.status, ms: performance.now() - started, detail: `POST answered ${posted.status} ${location ?? ''}` };
  }
  const session = { cookies, landing: new URL(location, origin).pathname };
  if (!followRedirect) return { ok: true, status: posted.status, ms: performance.now() - started, session };
  const landing = await openLanding(agent, port, session);
  return { ok: landing.status === 200, status: landing.status, ms: performance.now() - started, detail: `landing ${location}`, session };
}

/** The page a sign-in redirected to, opened with its session cookie. */
export function openLanding(agent: http.Agent, port: number, session: { cookies: string; landing: string }) {
  return request(agent, port, session.landing, { headers: { cookie: session.cookies, accept: 'text/html' } });
}
