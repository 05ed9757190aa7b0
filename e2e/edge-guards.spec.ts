// What server.mjs answers itself, before Next.js: request ids, oversized or length-less bodies,
// malformed paths. Raw HTTP where a browser would never send such a request.
import http from 'node:http';
import net from 'node:net';
import type { APIRequestContext } from '@playwright/test';
import { uniqueSuffix } from '@/prisma/factories';
import { DEMO_PASSWORD } from '@/prisma/seed';
import { formWithButton, formWithField, multipartBody } from '@/test/support/html-form';
import { db, newStaffMember } from './support/data';
import { E2E_BASE_URL, E2E_PORT } from './support/env';
import { expect, signInAsAgencyUser, signInAsVendor, test } from './support/test';

const CAP = 64 * 1024;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/;

type Answer = { status: number; headers: http.IncomingHttpHeaders; body: string; gotContinue: boolean };

/** One request on its own connection; `body` is sent chunked when `headers` name no length. */
function send(method: string, path: string, headers: Record<string, string | number> = {}, body?: Buffer | string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    let gotContinue = false;
    const request = http.request({ host: '127.0.0.1', port: E2E_PORT, method, path, headers, agent: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode!, headers: response.headers, body: Buffer.concat(chunks).toString('utf8'), gotContinue }),
      );
    });
    request.on('error', reject);
    request.on('continue', () => {
      gotContinue = true;
      request.end(body);
    });
    if (headers.expect) request.flushHeaders();
    else request.end(body);
  });
}

const form = (bytes: number) => `message=${'a'.repeat(bytes - 'message='.length)}`;
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

test('every answer carries a fresh X-Request-Id, including those sent from memory and the refusals', async ({ request }) => {
  const answers = [
    await request.get('/api/health'),
    await request.get('/api/health'),
    await request.get('/help'), // from memory
    await request.get('/login'),
  ];
  const ids = answers.map((answer) => answer.headers()['x-request-id']);
  expect(answers[2]!.headers()['x-portal-from-memory']).toBe('1');
  const refused = [await send('GET', '/status/%'), await send('POST', '/login', { ...FORM, 'content-length': CAP + 1 }, form(CAP + 1))];
  ids.push(...refused.map((answer) => String(answer.headers['x-request-id'])));
  for (const id of ids) expect(id).toMatch(UUID);
  expect(new Set(ids).size).toBe(ids.length);
  // A client's own id goes nowhere: not back, not on.
  const forged = await request.get('/api/health', { headers: { 'x-portal-request-id': 'forged-by-client', 'x-request-id': 'forged-too' } });
  expect(forged.headers()['x-request-id']).toMatch(UUID);
});

test('[ANONYMOUS] a failed sign-in is audited with the request id the server sent back, never one the client sent', async ({ page }) => {
  const { user, creds } = await newStaffMember();
  await page.setExtraHTTPHeaders({ 'x-portal-request-id': 'forged-by-client' });
  // Whatever carries the sign-in (next-auth's callback or a server action), it is the one POST.
  // (Not the request for a passkey challenge that focusing the login field may send.)
  const callback = page.waitForResponse((response) => response.request().method() === 'POST' && (response.request().postData() ?? '').includes('loginName'));
  await signInAsAgencyUser(page, { ...creds, password: 'not the password, sorry' });
  const sentBack = (await callback).headers()['x-request-id'];
  expect(sentBack).toMatch(UUID);
  await expect(page.locator('.error-summary')).toBeVisible();
  const record = await db().auditEvent.findFirstOrThrow({ where: { targetId: user.id, action: 'SIGN_IN_FAILURE' } });
  expect(record.requestId).toBe(sentBack);
  expect(await db().auditEvent.count({ where: { requestId: 'forged-by-client' } })).toBe(0);
});

test('[VERIFIER] records written while rendering a page and in a server action carry that request’s id', async ({ page }) => {
  await signInAsVendor(page, { email: 'vera.verifier@carenotes.example', password: DEMO_PASSWORD });
  await expect(page).toHaveURL(/\/vendor$/);
  // An agency page does not exist for a verifier: refused (and audited) while rendering.
  const refused = await page.goto('/account');
  expect(refused!.status()).toBe(404);
  const pageId = refused!.headers()['x-request-id'];
  expect(await db().auditEvent.findFirst({ where: { requestId: pageId, action: 'ACCESS_DENIED' } })).not.toBeNull();

  const { agency, user } = await newStaffMember();
  await page.goto('/help/ask-admin');
  await page.getByLabel('Provider code').fill(agency.code);
  await page.getByLabel('Login name').fill(user.loginName);
  const action = page.waitForResponse((response) => response.request().method() === 'POST' && response.url().includes('/help/ask-admin'));
  await page.getByRole('button', { name: 'Send request' }).click();
  const actionId = (await action).headers()['x-request-id'];
  await expect(page.getByTestId('ask-admin-sent')).toBeVisible();
  const record = await db().auditEvent.findFirstOrThrow({ where: { targetId: user.id, action: { startsWith: 'HELP_REQUEST' } } });
  expect(record.requestId).toBe(actionId);
  expect(actionId).not.toBe(pageId);
});

test('[ANONYMOUS] an oversized form posted by a browser gets a plain 413 page, never a 500', async ({ browser }) => {
  // Without JavaScript the form posts as a page, the way a browser sends any form.
  const context = await browser.newContext({ baseURL: E2E_BASE_URL, javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto('/help/ask-admin');
  await page.getByLabel('Provider code').fill('ACME-NY');
  await page.getByLabel('Login name').fill('jsmith');
  await page.getByLabel('Message (optional)').evaluate((field, text) => {
    field.removeAttribute('maxlength');
    (field as HTMLTextAreaElement).value = text;
  }, 'x'.repeat(CAP + 1000));
  const answer = page.waitForResponse((response) => response.request().method() === 'POST');
  await page.getByRole('button', { name: 'Send request' }).click();
  expect((await answer).status()).toBe(413);
  await expect(page.locator('body')).toContainText('Content Too Large');
  await context.close();
});

test('[ANONYMOUS] a body over 64 KiB is refused with 413 on any path and method; 64 KiB itself still reaches Next.js', async () => {
  for (const [method, path] of [
    ['POST', '/help/ask-admin'],
    ['POST', '/api/auth/callback/credentials'],
    ['PUT', '/api/health'],
    ['POST', '/%'], // the size is checked first
  ] as const) {
    const answer = await send(method, path, { ...FORM, 'next-action': 'abc', 'content-length': CAP + 1 }, form(CAP + 1));
    expect(answer.status, `${method} ${path}`).toBe(413);
    expect(answer.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(answer.body).toMatch(/^Content Too Large: .*64 KB/);
  }
  // Far larger bodies are answered too, not dropped with a reset connection.
  const huge = await send('POST', '/help/ask-admin', { ...FORM, 'content-length': 8 * 1024 * 1024 }, Buffer.alloc(8 * 1024 * 1024, 97));
  expect(huge.status).toBe(413);
  const atCap = await send('POST', '/help/ask-admin', { ...FORM, 'content-length': CAP }, form(CAP));
  expect(atCap.status).not.toBe(413);
  expect(atCap.status).toBeLessThan(500);
  expect(atCap.headers['x-request-id']).toMatch(UUID);
});

test('[ANONYMOUS] a HEAD declaring an oversized body it never sends still gets its 413 head at once', async () => {
  const answer = await new Promise<string>((resolve) => {
    const socket = net.connect(E2E_PORT, '127.0.0.1');
    let text = '';
    socket.on('data', (chunk) => {
      text += chunk.toString();
      if (text.includes('\r\n\r\n')) socket.destroy();
    });
    socket.on('error', () => {});
    socket.on('close', () => resolve(text));
    socket.write(`HEAD /help HTTP/1.1\r\nHost: 127.0.0.1:${E2E_PORT}\r\nContent-Length: ${CAP + 1}\r\n\r\n`);
  });
  expect(answer).toMatch(/^HTTP\/1\.1 413 /);
});

test('[ANONYMOUS] a body without a length (chunked) is refused, however small, whatever the method', async () => {
  for (const method of ['POST', 'PUT', 'PATCH', 'DELETE', 'GET']) {
    const answer = await send(method, '/help/ask-admin', { ...FORM, 'transfer-encoding': 'chunked', 'next-action': 'abc' }, 'message=hi');
    expect(answer.status, method).toBe(411);
    expect(answer.body).toMatch(/^Length Required/);
  }
  const oversized = await send('POST', '/login', { ...FORM, 'transfer-encoding': 'chunked' }, form(4 * CAP));
  expect(oversized.status).toBe(411);
});

test('[ANONYMOUS] a client asking to send a large body first gets 413 instead of "100 Continue"', async () => {
  const answer = await send('POST', '/help/ask-admin', { ...FORM, expect: '100-continue', 'content-length': 10 * CAP }, form(10 * CAP));
  expect(answer.status).toBe(413);
  expect(answer.gotContinue).toBe(false);
  expect(answer.headers.connection).toBe('close');
  const small = await send('POST', '/help/ask-admin', { ...FORM, expect: '100-continue', 'content-length': 11 }, 'message=hey');
  expect(small.gotContinue).toBe(true);
  expect(small.status).toBeLessThan(500);
});

test('[ANONYMOUS] a refused body that keeps trickling in is cut off instead of holding the connection', async () => {
  // A raw socket: an HTTP client would close it by itself once it has the answer.
  const socket = net.connect(E2E_PORT, '127.0.0.1');
  let received = '';
  socket.on('data', (chunk) => (received += chunk.toString('utf8')));
  socket.on('error', () => {});
  socket.write(`POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\nContent-Length: ${1024 ** 3}\r\n\r\n`);
  const drip = setInterval(() => socket.writable && socket.write('a'), 100);
  const started = Date.now();
  await new Promise<void>((resolve) => socket.once('close', () => resolve()));
  clearInterval(drip);
  expect(received).toMatch(/^HTTP\/1\.1 413 /);
  // Closed by the server, after letting the body in for a while (2 s), not at once.
  expect(Date.now() - started).toBeGreaterThan(1500);
});

test('[ANONYMOUS] requests hidden in a refused body are dropped with it; the connection then serves the next request', async () => {
  const hidden = 'GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n';
  const body = hidden.repeat(Math.ceil((CAP + 1) / hidden.length));
  const next = 'GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n';
  const socket = net.connect(E2E_PORT, '127.0.0.1');
  let received = '';
  socket.on('data', (chunk) => (received += chunk.toString('utf8')));
  socket.write(`POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\nContent-Length: ${body.length}\r\n\r\n${body}${next}`);
  await new Promise<void>((resolve) => socket.once('close', () => resolve()));
  expect(received.match(/^HTTP\/1\.1 \d{3}/gm)).toEqual(['HTTP/1.1 413', 'HTTP/1.1 200']);
});

test('[ANONYMOUS] methods the portal does not use get 405 with Allow, before Next.js; never a page or a 500', async () => {
  for (const method of ['TRACE', 'PROPFIND', 'SEARCH', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']) {
    for (const path of ['/login', '/status', '/api/health']) {
      const answer = await send(method, path);
      expect(answer.status, `${method} ${path}`).toBe(405);
      expect(answer.headers.allow).toBe('GET, HEAD, POST');
      expect(answer.headers['x-request-id']).toMatch(UUID);
      expect(answer.headers).toMatchObject({ 'x-frame-options': 'DENY', 'cross-origin-opener-policy': 'same-origin', 'x-content-type-options': 'nosniff' });
    }
  }
  expect((await send('GET', '/api/health')).status).toBe(200);
  expect((await send('HEAD', '/login')).status).toBe(200);
  // A method the portal uses, on a route that does not take it: Next.js's 405, with what the route takes.
  for (const path of ['/status/feed.atom', '/api/status', '/api/me', '/api/live', '/admin/audit/export']) {
    const answer = await send('POST', path, { origin: E2E_BASE_URL });
    expect([answer.status, answer.headers.allow, answer.headers['cache-control']], path).toEqual([405, 'GET, HEAD', 'no-store']);
  }
});

test('[ANONYMOUS] a form body that does not parse as what it claims gets 400 on any path, never a 500', async () => {
  const origin = { origin: E2E_BASE_URL };
  for (const path of ['/login', '/help', '/no-such-page', '/super-admin-reset']) {
    for (const type of ['multipart/form-data; boundary=zz', 'multipart/form-data']) {
      const answer = await send('POST', path, { ...origin, 'content-type': type }, 'garbage');
      expect(answer.status, `${path} ${type}`).toBe(400);
    }
  }
});

// A black flag and tag letters after it ("gbsct" over and over, never the cancel tag that ends one of the
// three flags Unicode draws): hidden text, four bytes a character, read by the checks on a form's fields.
const TAGS = [...'gbsct'].map((letter) => String.fromCodePoint(0xe0000 + letter.codePointAt(0)!));
const flagWithTags = (count: number) => `\u{1F3F4}${Array.from({ length: count }, (_, i) => TAGS[i % TAGS.length]).join('')}`;

/**
 * A public form as a browser without JavaScript posts it (read off its page), `field` holding `around` a
 * flag with as many tags as fill the body to 64 KB; the answer, not followed.
 */
async function postFlagToTheCap(request: APIRequestContext, path: string, field: string, fields: [string, string][], around = (text: string) => text) {
  const form = formWithField(await (await request.get(path, { headers: { accept: 'text/html' } })).text(), field);
  const filled = (value: string) => multipartBody([...form.hidden, ...fields, [field, around(value)]], '----formboundaryflag');
  const tags = Math.floor((CAP - Buffer.byteLength(filled(flagWithTags(0)).body)) / 4);
  expect(tags).toBeGreaterThan(16_000);
  const { body, type } = filled(flagWithTags(tags));
  expect(Buffer.byteLength(body)).toBeGreaterThan(CAP - 4);
  return request.post(form.action || path, {
    headers: { origin: E2E_BASE_URL, 'content-type': type, accept: 'text/html' },
    data: Buffer.from(body),
    maxRedirects: 0,
  });
}

/** The messages drawn beside a field of a page rendered on the server (components/ui/field.tsx). */
const fieldErrorsIn = (html: string, field: string) =>
  [...html.matchAll(new RegExp(`<span class="field-error" id="${field}-error"><span class="visually-hidden">Error: </span>([^<]*)</span>`, 'g'))].map(([, message]) => message);

test('[ANONYMOUS] asks an administrator with a flag and 16,000 tags in the agency’s name or the message: the field’s refusal, nothing recorded, never a 5xx', async ({ request }) => {
  const { user, creds } = await newStaffMember();
  for (const [field, refusal] of [
    ['providerCode', 'Provider code or agency name must be 200 characters or fewer'],
    ['message', 'Your message must be 500 characters or fewer'],
  ] as const) {
    const typed: [string, string][] = [
      ['providerCode', creds.providerCode],
      ['loginName', creds.loginName],
      ['message', 'Locked out'],
    ];
    const answer = await postFlagToTheCap(request, '/help/ask-admin', field, typed.filter(([name]) => name !== field));
    expect(answer.status(), field).toBe(200);
    expect(fieldErrorsIn(await answer.text(), field), field).toEqual([refusal]);
    expect(await db().auditEvent.count({ where: { requestId: answer.headers()['x-request-id'] } }), field).toBe(0);
  }
  expect(await db().helpRequest.count({ where: { userId: user.id } })).toBe(0);
});

test('[ANONYMOUS] asks for status alerts with a flag and 16,000 tags in the address: the field’s refusal, nothing recorded, never a 5xx', async ({ request }) => {
  const suffix = uniqueSuffix();
  const answer = await postFlagToTheCap(request, '/status', 'email', [], (flag) => `alerts.${suffix}${flag}@example.com`);
  expect(answer.status()).toBe(200);
  expect(fieldErrorsIn(await answer.text(), 'email')).toEqual(['E-mail address must be 254 characters or fewer']);
  expect(await db().statusSubscriber.count({ where: { email: { contains: suffix } } })).toBe(0);
  expect(await db().outboxMessage.count({ where: { toAddress: { contains: suffix } } })).toBe(0);
  expect(await db().auditEvent.count({ where: { requestId: answer.headers()['x-request-id'] } })).toBe(0);
});

/** The sign-in form as a browser without JavaScript posts it: its hidden fields (the action's reference and bound state among them) and the typed ones. */
async function signInForm() {
  const page = await send('GET', '/login', { accept: 'text/html' });
  const form = formWithField(page.body, 'loginName');
  return { action: form.action || '/login', hidden: form.hidden };
}

test('[ANONYMOUS] an action call React could not decode gets 400, with JavaScript or without, never a 500', async () => {
  const { action, hidden } = await signInForm();
  const meta = hidden.find(([name]) => /^\$ACTION_\d+:0$/.test(name));
  expect(meta, 'the sign-in form binds its state for posts without JavaScript').toBeDefined();
  const prefix = meta![0].slice(0, -1);
  const id = (JSON.parse(meta![1]) as { id: string }).id;
  const deep = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
  const withBound = (bound: string, metaValue = meta![1]) =>
    multipartBody([...hidden.filter(([name]) => !name.startsWith(prefix)), [`${prefix}0`, metaValue], [`${prefix}1`, bound], ['loginName', 'x']]);
  const noJs = [
    withBound('{{{'),
    withBound('["$Q5"]'),
    withBound('["$B5"]'),
    withBound(deep(8000)),
    withBound('[]', JSON.stringify({ id, bound: '$@9' })),
    // More arguments than React binds (review r55d F3).
    withBound(JSON.stringify(Array(1001).fill(0))),
  ];
  for (const { body, type } of noJs) {
    const answer = await send('POST', action, { origin: E2E_BASE_URL, 'content-type': type }, body);
    expect(answer.status, body.slice(0, 300)).toBe(400);
  }
  // The last: more arguments than Next.js applies (review r55d F3).
  for (const zero of ['[{},"$Q1"]', '[{},"$W1"]', '[{},"$i1"]', deep(5000), JSON.stringify(Array(1001).fill(0))]) {
    const { body, type } = multipartBody([['1', '[]'], ['0', zero]]);
    const answer = await send('POST', '/login', { origin: E2E_BASE_URL, 'content-type': type, 'next-action': id }, body);
    expect(answer.status, zero.slice(0, 40)).toBe(400);
  }
});

test('[ANONYMOUS] an action body that two parsers read differently, or one posted where proxy.ts once did not look, is refused, never a 500', async () => {
  const { hidden } = await signInForm();
  const id = (JSON.parse(hidden.find(([name]) => /^\$ACTION_\d+:0$/.test(name))![1]) as { id: string }).id;
  // Next.js's parser takes a part's first name, the check's parser its last: a decoy part 0 hid the real one.
  const part = (names: string[], value: string) => `--b0\r\n${names.map((name) => `Content-Disposition: form-data; name="${name}"\r\n`).join('')}\r\n${value}\r\n`;
  const smuggled = `${part(['0', 'h0'], '[{},"$Q1"]')}${part(['decoy', '0'], '[{},"$K1"]')}--b0--\r\n`;
  const headers = { origin: E2E_BASE_URL, 'content-type': 'multipart/form-data; boundary=b0', 'next-action': id };
  expect((await send('POST', '/login', headers, smuggled)).status).toBe(400);
  // Without JavaScript too: a form's part under two names is refused; the same form with plain parts is answered.
  const boundary = '----formboundaryq7Xk2';
  const field = (names: string[], value: string) => `--${boundary}\r\n${names.map((name) => `Content-Disposition: form-data; name="${name}"\r\n`).join('')}\r\n${value}\r\n`;
  const formWith = (last: string[]) => `${hidden.map(([name, value]) => field([name], value)).join('')}${field(last, 'someone')}--${boundary}--\r\n`;
  const noScript = { origin: E2E_BASE_URL, 'content-type': `multipart/form-data; boundary=${boundary}` };
  expect((await send('POST', '/login', noScript, formWith(['loginName', 'password']))).status).toBe(400);
  expect((await send('POST', '/login', noScript, formWith(['loginName']))).status).toBe(200);
  // Paths that only began like the static files' skipped proxy.ts: another site's action there met Next.js.
  const { body, type } = multipartBody([['1', '[]'], ['0', '[{},"$K1"]']]);
  // An action posted to a page without it: Next.js would post it again to the page that has it, from this very server.
  const forwarded = await send('POST', '/login', { ...headers, 'content-type': type, 'x-action-forwarded': '1' }, body);
  expect(forwarded.status).toBe(400);
  const crossSite = await send('POST', '/favicon.icox', { origin: 'http://evil.example', 'content-type': type, 'next-action': id }, body);
  expect(crossSite.status).toBe(403);
  // Next.js's own files are only read: no post reaches it there.
  for (const path of ['/_next/staticx', '/_next/image', '/_next/static/chunks/any.js']) {
    const built = await send('POST', path, headers, smuggled);
    expect([built.status, built.headers.allow], path).toEqual([405, 'GET, HEAD']);
  }
});

test('[STAFF] a form sent with another Host, or a made-up X-Forwarded-Host, is answered as the portal’s own, never a 500', async () => {
  const otherHosts: Record<string, string>[] = [{ host: `127.0.0.1:${E2E_PORT}` }, { 'x-forwarded-host': 'evil.example' }, { host: 'evil.example' }];
  for (const headers of otherHosts) {
    const { creds } = await newStaffMember();
    const { action, hidden } = await signInForm();
    const { body, type } = multipartBody([...hidden, ['providerCode', creds.providerCode], ['loginName', creds.loginName], ['password', creds.password]]);
    const answer = await send('POST', action, { origin: E2E_BASE_URL, 'content-type': type, ...headers }, body);
    expect(answer.status, JSON.stringify(headers)).toBe(303);
    expect(answer.headers.location, JSON.stringify(headers)).toMatch(/^\/account/);
    expect(String(answer.headers['set-cookie']), JSON.stringify(headers)).toMatch(/session/i);
  }
});

test('[STAFF] a cookie whose name no browser would store is dropped: pages answer as without it, signed in or not, never a 500', async () => {
  const { creds } = await newStaffMember();
  const { action, hidden } = await signInForm();
  const { body, type } = multipartBody([...hidden, ['providerCode', creds.providerCode], ['loginName', creds.loginName], ['password', creds.password]]);
  const signedIn = await send('POST', action, { origin: E2E_BASE_URL, 'content-type': type }, body);
  expect(signedIn.status).toBe(303);
  const session = ([] as string[]).concat(signedIn.headers['set-cookie'] ?? []).map((cookie) => cookie.split(';')[0]!).find((pair) => /session-token=/.test(pair))!;
  // Named like the session cookie, with a character no cookie name may hold.
  for (const junk of ['next-auth.session-token@=x', 'next-auth.session-token x=1', 'next-auth.session-token(x)=1', 'next-auth.session-tokené=1']) {
    expect((await send('GET', '/api/me', { cookie: `${session}; ${junk}` })).status, junk).toBe(200);
    expect((await send('GET', '/account', { cookie: `${junk}; ${session}`, accept: 'text/html' })).status, junk).toBe(200);
    const anonymous = await send('GET', '/account', { cookie: junk, accept: 'text/html' });
    expect([anonymous.status, anonymous.headers.location], junk).toEqual([307, '/login?callbackUrl=%2Faccount']);
    expect((await send('GET', '/reset/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', { cookie: junk, accept: 'text/html' })).status, junk).toBe(200);
  }
  // Signing out beside such a cookie, without JavaScript, ends the session (next-auth threw writing the junk back).
  const junk = 'next-auth.session-token@=x';
  const signOut = formWithButton((await send('GET', '/account', { cookie: session, accept: 'text/html' })).body, 'Sign out');
  // A plain form with no fields: what a browser sends for it (app/(public)/sign-out/route.ts).
  expect([signOut.action, signOut.hidden]).toEqual(['/sign-out', []]);
  // Another site cannot sign anyone out: a state change like any other (proxy and route both check).
  const forged = await send('POST', '/sign-out', { origin: 'https://evil.example', 'content-type': 'application/x-www-form-urlencoded', 'content-length': 0, cookie: session }, '');
  expect(forged.status).toBe(403);
  expect((await send('GET', '/api/me', { cookie: session })).status).toBe(200);
  const signedOut = await send('POST', signOut.action, { origin: E2E_BASE_URL, 'content-type': 'application/x-www-form-urlencoded', 'content-length': 0, cookie: `${junk}; ${session}` }, '');
  expect([signedOut.status, signedOut.headers.location]).toEqual([303, expect.stringMatching(/^\/login\?done=signed-out\./)]);
  expect((await send('GET', '/api/me', { cookie: session })).status).toBe(401);
});

test('[STAFF] a NUL in any field of any form is that field’s refusal, before any schema or query reads it; nothing is stored (review r40b F2)', async () => {
  const { creds, user } = await newStaffMember();
  const { action, hidden } = await signInForm();
  const signInBody = multipartBody([...hidden, ['providerCode', creds.providerCode], ['loginName', creds.loginName], ['password', creds.password]]);
  const signedIn = await send('POST', action, { origin: E2E_BASE_URL, 'content-type': signInBody.type }, signInBody.body);
  const session = ([] as string[]).concat(signedIn.headers['set-cookie'] ?? []).map((cookie) => cookie.split(';')[0]!).find((pair) => /session-token=/.test(pair))!;
  const security = await send('GET', '/account/security', { cookie: session, accept: 'text/html' });
  const addApp = formWithField(security.body, 'name');
  // A stored name, and a hidden field a query would read: each refused alike, with no other field's rules.
  for (const [field, value] of [['name', 'Ph\u0000one'], ['formKey', '\u0000']] as const) {
    const fields = new Map<string, string>([...addApp.hidden, ['name', 'Phone'], ['currentPassword', creds.password]]);
    fields.set(field, value);
    const { body, type } = multipartBody([...fields]);
    const answer = await send('POST', addApp.action || '/account/security', { origin: E2E_BASE_URL, 'content-type': type, cookie: session, accept: 'text/html' }, body);
    expect(answer.status, field).toBe(200);
    expect(answer.body, field).toContain('There is a problem with what you entered.');
    if (field === 'name') expect(answer.body).toContain('This contains a hidden character. Type it in rather than pasting it.');
    expect(answer.body, field).not.toContain('Something went wrong');
  }
  expect(await db().mfaFactor.count({ where: { userId: user.id } })).toBe(0);
});

test('[ANONYMOUS] Next.js’s image optimizer is off: its endpoint renders none of the portal’s pages', async () => {
  for (const url of ['/reset/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', '/login', '/status']) {
    const answer = await send('GET', `/_next/image?url=${encodeURIComponent(url)}&w=64&q=75`);
    expect(answer.status, url).toBe(404);
  }
});

test('[ANONYMOUS] a malformed percent-encoded path, or one holding a control character, gets 400, never 500; well-formed ones and odd queries are Next.js’s', async () => {
  // A NUL in an id reached PostgreSQL, which refuses one in text (review r41e F2).
  const controls = ['/admin/users/%00', '/vendor/queue/%00', '/reset/%0A', '/help%7F', '/status/%09'];
  // Dot segments, which every browser resolves before it asks (review r52c I3).
  const dots = ['/help/../account', '/status/%2e%2e/%2E%2E/account', '/help/./', '/status/..', '/admin/..%2Faccount'];
  for (const path of ['/%E0%A4%A', '/status/%', '/%', '/help/%C0%AF', '/admin/users/%zz', '/reset/%ED%A0%80', '/api/health/%', ...controls, ...dots]) {
    for (const method of ['GET', 'HEAD', 'POST']) {
      const answer = await send(method, path, method === 'POST' ? { ...FORM, 'content-length': 9 } : {}, method === 'POST' ? 'message=x' : undefined);
      expect(answer.status, `${method} ${path}`).toBe(400);
      if (method === 'GET') expect(answer.body).toMatch(/^Bad Request: the address is not valid/);
      expect(answer.headers).toMatchObject({ 'x-frame-options': 'DENY', 'cross-origin-opener-policy': 'same-origin' });
    }
  }
  expect((await send('GET', '/status/%25')).status).toBe(404);
  expect((await send('GET', '/help/..x')).status).toBe(404);
  // Under the built files too, where nothing may be posted (405): read, they reached a signed-in page.
  for (const path of ['/_next/static/../../account', '/_next/static/%2e%2e/%2e%2e/account', '/_next/static/..\\..\\account', '/_next/static/..%5C..%5Caccount']) {
    expect((await send('GET', path)).status, path).toBe(400);
  }
  expect((await send('GET', '/help?from=%')).status).toBe(200);
});

test('[ANONYMOUS] a request for a full URL or for `*` gets 400, never a redirect to another host or a 500', async () => {
  for (const target of ['http://evil.example/admin', 'https://evil.example/reset/abc', `http://127.0.0.1:${E2E_PORT}/help`, '*']) {
    for (const method of ['GET', 'HEAD', 'POST']) {
      const answer = await send(method, target, method === 'POST' ? { ...FORM, 'content-length': 9 } : {}, method === 'POST' ? 'message=x' : undefined);
      expect(answer.status, `${method} ${target}`).toBe(400);
      expect(answer.headers.location).toBeUndefined();
    }
  }
});

test('[ANONYMOUS] a request to upgrade the connection (WebSocket) is refused and its connection closed by the server, on any path', async () => {
  const upgrade = (path: string) =>
    new Promise<string>((resolve, reject) => {
      const socket = net.connect(E2E_PORT, '127.0.0.1');
      let answer = '';
      socket.on('data', (chunk) => (answer += chunk.toString()));
      socket.on('error', reject);
      // Resolved only when the server closes the connection: the client never does.
      socket.on('close', () => resolve(answer));
      socket.write(
        `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${E2E_PORT}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          'Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n',
      );
    });
  // Next.js left those to paths it does not serve open for ever; those to its pages it closed.
  for (const path of ['/zzz', '/_next/static/x', '/favicon.ico', '/_next/webpack-hmr', '/help', '/login']) {
    expect(await upgrade(path), path).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n[\s\S]*does not upgrade connections/);
  }
  expect((await send('GET', '/api/health')).status).toBe(200);
});

test('[ANONYMOUS] the redirects Next.js makes on its own carry the security headers; a secret link’s also no-store and no referrer', async () => {
  const help = await send('GET', '/help/');
  expect(help.status).toBe(308);
  expect(help.headers).toMatchObject({ 'x-content-type-options': 'nosniff', 'x-frame-options': 'DENY', 'cross-origin-opener-policy': 'same-origin' });
  // A token in the path, or in the query (a status alert link, a request's reference): every such redirect.
  for (const path of ['/reset/some-token-from-a-mail/', '/status/subscribe/confirm/?s=a&e=1&t=some-token', '/super-admin-reset/submitted/?reference=SA-1234']) {
    const link = await send('GET', path);
    expect(link.status, path).toBe(308);
    expect(link.headers, path).toMatchObject({ 'x-content-type-options': 'nosniff', 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' });
  }
});

test('[STAFF] eight people behind one address sign in at the same moment with JavaScript: each lands on their page at once', async ({ browser }) => {
  // Each sign-in ends in a redirect, for which Next.js fetches the page from this server while the
  // sign-in still holds its place; one address holds four places at most.
  const people = await Promise.all(Array.from({ length: 8 }, () => newStaffMember()));
  const contexts = await Promise.all(people.map(() => browser.newContext()));
  try {
    const pages = await Promise.all(
      contexts.map(async (context, i) => {
        const page = await context.newPage();
        await page.goto('/login');
        await page.getByLabel('Provider code').fill(people[i]!.creds.providerCode);
        await page.getByLabel('Login name').fill(people[i]!.creds.loginName);
        await page.getByLabel('Password', { exact: true }).fill(people[i]!.creds.password);
        return page;
      }),
    );
    await Promise.all(pages.map((page) => page.getByRole('button', { name: 'Sign in', exact: true }).click()));
    // First the server's work, eight password checks, waited for as it records them (the sessions);
    // then each page, whose redirect must not wait behind the sign-ins holding the address's places.
    const ids = people.map(({ user }) => user.id);
    await expect.poll(() => db().authSession.count({ where: { userId: { in: ids }, endedAt: null } }), { timeout: 30_000 }).toBe(8);
    await Promise.all(pages.map((page) => expect(page).toHaveURL(/\/account$/)));
  } finally {
    await Promise.all(contexts.map((context) => context.close()));
  }
});

test('[STAFF] ordinary form posts still work end to end', async ({ page }) => {
  await signInAsAgencyUser(page, { providerCode: 'ACME-NY', loginName: 'jsmith', password: DEMO_PASSWORD });
  await expect(page).toHaveURL(/\/account$/);
});
