// What a client sends wrong is the client's doing: it is answered, and logged at most as a warning,
// without a stack trace. Anyone may send it, so an error line for it would let a stranger fill the
// log with errors and set off the operators' alerts.
import http from 'node:http';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formWithField } from '../support/html-form';
import { startMigratedProductionServer, type ProductionServer } from '../support/production-server';

let server: ProductionServer;

beforeAll(async () => {
  server = await startMigratedProductionServer();
});

afterAll(async () => {
  await server?.stop();
});

describe('[OPERATOR] a client’s junk in the log', () => {
  it('a session cookie that does not open is a warning without a stack; the person is sent to sign in', async () => {
    const junk = ['x', 'eyJhbGciOiJub25lIn0.eyJzaWQiOiJ4In0.', 'a'.repeat(4000)];
    for (const cookie of junk) {
      const answer = await fetch(`${server.url}/account`, { headers: { cookie: `next-auth.session-token=${cookie}` }, redirect: 'manual' });
      expect(answer.status).toBe(307);
      expect(answer.headers.get('location')).toMatch(/\/login\?callbackUrl=%2Faccount$/);
      expect((await fetch(`${server.url}/api/me`, { headers: { cookie: `next-auth.session-token=${cookie}` } })).status).toBe(401);
    }
    const lines = server.logLines();
    expect(lines.filter((line) => line.level >= 50)).toEqual([]);
    expect(server.output()).not.toMatch(/JWT_SESSION_ERROR|\n\s+at /);
    expect(lines.filter((line) => line.event === 'auth.session_cookie_unreadable').every((line) => line.level === 40)).toBe(true);
    expect(lines.filter((line) => line.event === 'auth.session_cookie_unreadable').length).toBeGreaterThanOrEqual(junk.length);
  });

  it('a request Node.js’s parser refuses, or an upgrade, is answered and leaves one info line: a scanner leaves a trace', async () => {
    const raw = (text: string) =>
      new Promise<string>((resolve) => {
        const socket = net.connect(server.port, '127.0.0.1');
        let answer = '';
        socket.on('data', (chunk) => (answer += chunk.toString()));
        socket.on('error', () => {});
        socket.on('close', () => resolve(answer));
        socket.write(text);
      });
    const answers = [
      [await raw('GET /help HTTP/1.1\r\nHost: x\r\nX-Folded: a\r\n b\r\n\r\n'), 400],
      [await raw(`GET /help HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`), 431],
      [await raw('GET /reset/SECRETTOKEN HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n'), 400],
    ] as const;
    for (const [answer, status] of answers) {
      expect(answer).toMatch(new RegExp(`^HTTP/1\\.1 ${status} `));
      // As every other answer: no frame, no sniffing, no opener (review r43c F2).
      expect(answer).toMatch(/\r\nX-Frame-Options: DENY\r\n/);
      expect(answer).toMatch(/\r\nX-Content-Type-Options: nosniff\r\n/);
      expect(answer).toMatch(/\r\nCross-Origin-Opener-Policy: same-origin\r\n/);
    }
    // The log reaches stdout a moment after the answer.
    for (let i = 0; i < 100 && !server.logLines().some((line) => line.event === 'http.upgrade_refused'); i++) await new Promise((resolve) => setTimeout(resolve, 50));
    const lines = server.logLines();
    expect(lines.filter((line) => line.event === 'http.refused_by_parser').map((line) => line.parserError)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^HPE_/), 'HPE_HEADER_OVERFLOW']),
    );
    expect(lines.filter((line) => line.event === 'http.upgrade_refused').map((line) => line.path)).toEqual(['/reset/[redacted]']);
    expect(server.output()).not.toContain('SECRETTOKEN');
  });

  it('an expectation other than 100-continue is refused with the headers, request id and access line of every answer (review r43c F1)', async () => {
    const before = server.output().length;
    const answer = await new Promise<http.IncomingMessage>((resolve, reject) =>
      http.get(`${server.url}/help`, { headers: { expect: '200-ok' } }, resolve).on('error', reject),
    );
    answer.resume();
    expect(answer.statusCode).toBe(417);
    expect(answer.headers['x-frame-options']).toBe('DENY');
    expect(answer.headers['x-content-type-options']).toBe('nosniff');
    expect(answer.headers['cache-control']).toBe('no-store');
    const requestId = answer.headers['x-request-id'];
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    const accessLine = () => server.logLines().find((line) => line.event === 'http.request' && line.requestId === requestId);
    for (let i = 0; i < 100 && !accessLine(); i++) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(accessLine()).toMatchObject({ status: 417 });
    expect(server.output().slice(before)).not.toMatch(/\n\s+at /);
  });

  it('a form post that is no action, or names an action no build has (forged, or open across a deploy), is a 4xx and one warning line without a stack', async () => {
    const before = server.output().length;
    const post = (headers: Record<string, string>, body: string) =>
      fetch(`${server.url}/login`, { method: 'POST', headers: { origin: server.url, accept: 'text/html', ...headers }, body, redirect: 'manual' });
    const multipart = { 'content-type': 'multipart/form-data; boundary=x' };
    const field = (name: string) => `--x\r\nContent-Disposition: form-data; name="${name}"\r\n\r\nvalue\r\n--x--\r\n`;
    const answers = [
      await post(multipart, field('a')),
      await post(multipart, field(`$ACTION_ID_7f${'0'.repeat(40)}`)),
      await post({ ...multipart, 'next-action': `7f${'0'.repeat(40)}` }, field('0')),
      await post({ ...multipart, 'next-action': 'zz' }, field('0')),
    ];
    for (const answer of answers) expect(answer.status).toBeGreaterThanOrEqual(400);
    expect(answers.map((answer) => answer.status).every((status) => status < 500)).toBe(true);
    // Each answer's access line is written once it is closed: wait for all four.
    const accessLines = () => server.output().slice(before).split('\n').filter((line) => line.includes('"event":"http.request"')).length;
    for (let i = 0; i < 100 && accessLines() < answers.length; i++) await new Promise((resolve) => setTimeout(resolve, 50));
    const written = server.output().slice(before);
    expect(written).toMatch(/Failed to find Server Action/);
    expect(written).not.toMatch(/\n\s+at |\\n\s+at /);
    expect(server.logLines().filter((line) => line.level >= 50)).toEqual([]);
  });

  it('[ANYONE without JavaScript] a form Next.js cannot run (open across an update, or made up) gets a page saying to reload, with the same status', async () => {
    const multipart = { 'content-type': 'multipart/form-data; boundary=x' };
    const field = (name: string) => `--x\r\nContent-Disposition: form-data; name="${name}"\r\n\r\nvalue\r\n--x--\r\n`;
    const post = (accept: string, body: string) =>
      fetch(`${server.url}/login`, { method: 'POST', headers: { origin: server.url, accept, 'accept-encoding': 'gzip', ...multipart }, body, redirect: 'manual' });
    const browser = 'text/html,application/xhtml+xml,*/*;q=0.8';
    for (const [body, status] of [
      [field(`$ACTION_ID_7f${'0'.repeat(40)}`), 409],
      [field('a'), 400],
    ] as const) {
      const answer = await post(browser, body);
      expect([answer.status, answer.headers.get('content-type'), answer.headers.get('cache-control')]).toEqual([status, 'text/html; charset=utf-8', 'no-store']);
      // Next.js's gzip of its line is not left on the page sent instead.
      expect(answer.headers.get('content-encoding')).toBeNull();
      expect(answer.headers.get('content-security-policy')).toBeTruthy();
      expect(await answer.text()).toMatch(/<title>Form out of date[^<]*<\/title>.*reload the page/s);
      // A client that asks for no page gets Next.js's line, as before.
      expect((await post('*/*', body)).headers.get('content-type')).toMatch(/^text\/plain/);
    }
    // Our own 400s say what they mean: a wrong one-click unsubscribe link, from a browser.
    const unsubscribe = await fetch(`${server.url}/status/unsubscribe?s=x&t=${'A'.repeat(43)}`, {
      method: 'POST',
      headers: { origin: server.url, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect([unsubscribe.status, await unsubscribe.text()]).toEqual([400, 'This unsubscribe link is not valid.\n']);
    expect(server.logLines().filter((line) => line.level >= 50)).toEqual([]);
  });

  it('[ANYONE without JavaScript] a form posted to a page that sends the signed-out to sign in is answered "see other": the browser does not send the form on', async () => {
    for (const path of ['/account', '/admin', '/vendor/queue']) {
      const posted = await fetch(`${server.url}${path}`, {
        method: 'POST',
        headers: { origin: server.url, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
        body: 'newPassword=kept+out+of+the+sign-in+page',
        redirect: 'manual',
      });
      expect([posted.status, posted.statusText], path).toEqual([303, 'See Other']);
      expect(posted.headers.get('location'), path).toMatch(/\/login(\?callbackUrl=|$)/);
      // A page opened by link keeps its 307.
      expect((await fetch(`${server.url}${path}`, { redirect: 'manual' })).status, path).toBe(307);
    }
  });

  it('a router request posted with a form body (a `.rsc` address, or the RSC header) is a 400 and no error', async () => {
    const post = (path: string, headers: Record<string, string> = {}) =>
      fetch(`${server.url}${path}`, { method: 'POST', headers: { origin: server.url, 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: 'a=b', redirect: 'manual' });
    for (const answer of [await post('/anything.rsc'), await post('/login.rsc'), await post('/login%2Ersc'), await post('/help?_rsc=1', { rsc: '1' }), await post('/help', { rsc: '1' })]) {
      expect(answer.status, answer.url).toBe(400);
      expect(answer.headers.get('cache-control')).toBe('no-store');
    }
    expect(server.output()).not.toMatch(/Invariant|Expected RSC response/);
    expect(server.logLines().filter((line) => line.level >= 50)).toEqual([]);
  });

  it('an action posted to a router address, or with its form type in capitals, is a 400 and no error: Next.js would parse it as something else (r29a)', async () => {
    const { hidden } = formWithField(await (await fetch(`${server.url}/super-admin-reset`)).text(), 'reason');
    const [, meta] = hidden.find(([name]) => /^\$ACTION_\d+:0$/.test(name))!;
    const action = (JSON.parse(meta) as { id: string }).id;
    const call = '--XB\r\nContent-Disposition: form-data; name="0"\r\n\r\n[]\r\n--XB--\r\n';
    const post = (path: string, type: string) =>
      fetch(`${server.url}${path}`, { method: 'POST', headers: { origin: server.url, 'next-action': action, 'content-type': type }, body: call, redirect: 'manual' });
    for (const [path, type] of [
      ['/super-admin-reset', 'Multipart/Form-Data; boundary=XB'],
      ['/super-admin-reset', 'MULTIPART/FORM-DATA; boundary=XB'],
      ['/super-admin-reset.rsc', 'multipart/form-data; boundary=XB'],
      ['/help.rsc', 'multipart/form-data; boundary=XB'],
      ['/status.segments/_tree.segment.rsc', 'multipart/form-data; boundary=XB'],
      ['/index.rsc', 'multipart/form-data; boundary=XB'],
    ] as const) {
      expect([path, type, (await post(path, type)).status]).toEqual([path, type, 400]);
    }
    expect(server.output()).not.toMatch(/Invariant|Expected RSC response|SyntaxError/);
    expect(server.logLines().filter((line) => line.level >= 50)).toEqual([]);
  });

  it('an action whose field name Next.js’s form parser refuses (a control character, a part head past its 16 KiB) is a 400 and no error (r30b)', async () => {
    const { hidden } = formWithField(await (await fetch(`${server.url}/super-admin-reset`)).text(), 'reason');
    const [, meta] = hidden.find(([name]) => /^\$ACTION_\d+:0$/.test(name))!;
    const action = (JSON.parse(meta) as { id: string }).id;
    const post = (name: string) =>
      fetch(`${server.url}/super-admin-reset`, {
        method: 'POST',
        headers: { origin: server.url, 'next-action': action, 'content-type': 'multipart/form-data; boundary=XB' },
        body: `--XB\r\nContent-Disposition: form-data; name="${name}"\r\n\r\nvalue\r\n--XB\r\nContent-Disposition: form-data; name="0"\r\n\r\n[]\r\n--XB--\r\n`,
        redirect: 'manual',
      });
    for (const name of ['a\u0000b', 'a\u0001b', 'a\u000bb', 'a\u001fb', 'a\u007fb', 'a'.repeat(16 * 1024)]) {
      expect([name.slice(0, 4), (await post(name)).status]).toEqual([name.slice(0, 4), 400]);
    }
    // A tab and Latin-1 letters are read alike by both parsers: the call gets as far as its action.
    for (const name of ['a\tb', 'caf\u00e9']) expect([name, (await post(name)).status]).not.toEqual([name, 400]);
    expect(server.output()).not.toMatch(/Malformed part header/);
    expect(server.logLines().filter((line) => line.level >= 50)).toEqual([]);
  });

  it('Next.js’s own error page is no address of ours: the not-found page, never a 500 a cache would keep', async () => {
    for (const method of ['GET', 'HEAD']) {
      const answer = await fetch(`${server.url}/_global-error`, { method });
      expect([method, answer.status]).toEqual([method, 404]);
      expect(answer.headers.get('cache-control')).toBe('no-store');
      if (method === 'GET') expect(await answer.text()).toMatch(/<title>[^<]*not found/i);
    }
    // Nor are its router copies.
    for (const path of ['/_global-error.rsc', '/_global-error.segments/_tree.segment.rsc', '/_global-error.segments/_full.segment.rsc', '/%5Fglobal-error']) {
      expect([path, (await fetch(`${server.url}${path}`)).status]).toEqual([path, 404]);
      expect([path, (await fetch(`${server.url}${path}`, { headers: { rsc: '1' } })).status]).toEqual([path, 404]);
    }
    expect(server.logLines().filter((line) => line.level >= 50)).toEqual([]);
  });

  it('a client navigation’s router state that Next.js cannot read, or nested too deep to check cheaply, is a 400 and no error', async () => {
    const nested = (levels: number): unknown => (levels === 0 ? ['', {}] : ['', { a: nested(levels - 1) }]);
    const navigate = (state: string) => fetch(`${server.url}/status?x=1`, { headers: { rsc: '1', 'next-router-state-tree': state }, redirect: 'manual' });
    for (const state of ['x', encodeURIComponent(JSON.stringify(['', {}, 0, 0, 0, 0, 0])), encodeURIComponent(JSON.stringify(nested(300)))]) {
      const answer = await navigate(state);
      expect(answer.status, state.slice(0, 40)).toBe(400);
      expect(await answer.text()).toMatch(/page state your browser sent is not valid/);
    }
    expect(server.logLines().filter((line) => line.level >= 50)).toEqual([]);
  });

  it('an action that redirects, called with JavaScript and a made-up X-Forwarded-Proto, gets its page rendered in the same answer, logged as the client’s', async () => {
    const { hidden } = formWithField(await (await fetch(`${server.url}/super-admin-reset`)).text(), 'reason');
    const [, meta] = hidden.find(([name]) => /^\$ACTION_\d+:0$/.test(name))!;
    const [, state] = hidden.find(([name]) => /^\$ACTION_\d+:1$/.test(name))!;
    // What React sends: the form's fields as part 1 of the reply, the call's arguments as part 0.
    const form = new FormData();
    const fields: Record<string, string> = {
      ...Object.fromEntries(hidden.filter(([name]) => !name.startsWith('$ACTION'))),
      providerCode: 'NOBODY',
      loginName: 'someone',
      fullName: 'Sam Someone',
      jobTitle: 'Director',
      workEmail: 'sam@example.com',
      workPhone: '+1 512 555 0100',
      reason: 'No other administrator can reset my password.',
      attestation: 'yes',
    };
    for (const [name, value] of Object.entries(fields)) form.append(`_1_${name}`, value);
    form.append('0', JSON.stringify([(JSON.parse(state) as unknown[])[0], '$K1']));
    const encoded = new Response(form);
    const body = Buffer.from(await encoded.arrayBuffer());
    const answer = await new Promise<{ status: number; type: string; redirect: string; requestId: string }>((resolve, reject) => {
      const sent = http.request({
        host: '127.0.0.1',
        port: server.port,
        method: 'POST',
        path: '/super-admin-reset',
        localAddress: '127.0.0.9',
        headers: {
          'content-type': encoded.headers.get('content-type')!,
          'content-length': body.length,
          origin: server.url,
          accept: 'text/x-component',
          'next-action': (JSON.parse(meta) as { id: string }).id,
          'x-forwarded-proto': 'https',
        },
      });
      sent.on('response', (response) => {
        response.resume();
        response.on('end', () =>
          resolve({
            status: response.statusCode!,
            type: String(response.headers['content-type']),
            redirect: String(response.headers['x-action-redirect']),
            requestId: String(response.headers['x-request-id']),
          }),
        );
      });
      sent.on('error', reject);
      sent.end(body);
    });
    expect(answer.redirect).toMatch(/^\/super-admin-reset\/submitted\?done=submitted-/);
    // The page it leads to came with the answer, not asked for again by the browser.
    expect([answer.status, answer.type]).toEqual([200, 'text/x-component']);
    // Each request's line is written once its answer is closed: wait for both.
    const linesOfTheRequest = () => server.logLines().filter((line) => line.event === 'http.request' && line.requestId === answer.requestId);
    for (let tries = 0; linesOfTheRequest().length < 2 && tries < 200; tries++) await new Promise((resolve) => setTimeout(resolve, 25));
    const lines = linesOfTheRequest();
    expect(lines.map((line) => [line.method, String(line.path).split('?')[0], line.clientIp])).toEqual(
      expect.arrayContaining([
        ['POST', '/super-admin-reset', '127.0.0.9'],
        ['GET', '/super-admin-reset/submitted', '127.0.0.9'],
      ]),
    );
    expect(server.output()).not.toMatch(/failed to get redirect response/);
    // Two pages in one answer: Next.js's close listeners and ours stay under Node.js's leak warning (an error line).
    expect(server.output()).not.toMatch(/MaxListenersExceededWarning/);
    expect(server.logLines().filter((line) => line.level >= 50)).toEqual([]);
  });
});
