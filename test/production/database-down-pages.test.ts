// An instance started while its database cannot be reached, without STATUS_EXPORT_DIR: it has no copy
// of /status to send, and every signed-in page fails on the session lookup. Each such page answers
// 503 with Retry-After and words in its HTML (read here without JavaScript, as plain fetches), not
// Next.js's 500 and its empty error shell. The probes show what a balancer sees meanwhile.
import { encode } from 'next-auth/jwt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '@/lib/net/free-port';
import { startProductionServer, TEST_SECRET, throwawayMailDir, type ProductionServer } from '../support/production-server';

let server: ProductionServer;
// A port nothing listens on: PostgreSQL refuses at once, as a stopped server does.
let databasePort: number;

beforeAll(async () => {
  databasePort = await freePort();
  const port = await freePort();
  server = await startProductionServer(
    {
      DATABASE_URL: `postgresql://portal_app:unused@127.0.0.1:${databasePort}/portal`,
      APP_URL: `http://127.0.0.1:${port}`,
      NEXTAUTH_SECRET: TEST_SECRET,
      MAIL_TRANSPORT: 'file',
      MAIL_DIR: throwawayMailDir(),
      MAIL_WORKER: 'off',
    },
    port,
  );
});

afterAll(async () => {
  await server?.stop();
});

/** A page as a browser without JavaScript gets it: the status, the headers and the HTML. */
async function pageOf(pathname: string, cookie?: string) {
  const response = await fetch(`${server.url}${pathname}`, { headers: { accept: 'text/html', ...(cookie && { cookie }) }, redirect: 'manual' });
  return { status: response.status, headers: response.headers, html: await response.text() };
}

/** The text a person reads in the body, without markup (the title is not in it). */
function bodyText(html: string): string {
  const body = /<body[^>]*>([\s\S]*)<\/body>/i.exec(html)?.[1] ?? '';
  return body
    .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

describe('[ANONYMOUS] an instance started while the database is down, with no copy of the status page', () => {
  it('answers /status 503 with Retry-After, never stored, saying the status cannot be shown and pointing to the guide', async () => {
    const { status, headers, html } = await pageOf('/status');
    expect(status).toBe(503);
    expect(headers.get('retry-after')).toBe('120');
    expect(headers.get('cache-control')).toBe('no-store');
    expect(headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(html).not.toContain('__next_error__');
    const text = bodyText(html);
    expect(text).toContain('The system status cannot be shown just now');
    expect(text).toContain('Wait a few minutes and try again.');
    expect(html).toContain('<a href="/help">sign-in help guide</a>');
    // The reference names the request, which the failure's log lines name too.
    const reference = headers.get('x-request-id')!;
    expect(text).toContain(`quote the reference ${reference}`);
    expect(server.logLines().some((line) => line.event === 'request.failed' && line.requestId === reference)).toBe(true);
  });

  it('answers a signed-in page 503 with the apology in its HTML, not an empty shell', async () => {
    // A session cookie that opens (signed with the instance's secret): the page must then read the session from the database.
    const token = await encode({ token: { sid: 'a-session-the-database-would-know', kind: 'agency' }, secret: TEST_SECRET, maxAge: 3600 });
    for (const pathname of ['/account', '/change-password']) {
      const { status, headers, html } = await pageOf(pathname, `next-auth.session-token=${token}`);
      expect([pathname, status, headers.get('retry-after'), headers.get('cache-control')]).toEqual([pathname, 503, '120', 'no-store']);
      expect(html).not.toContain('__next_error__');
      expect(bodyText(html)).toContain('Sorry, this page is not working right now The service is busy or unavailable just now.');
      expect(html).toContain('<a href="/status">system status</a>');
    }
  });

  it('answers a sign-out from a plain form with a page saying the person is not signed out yet, not JSON (r26c N6)', async () => {
    const token = await encode({ token: { sid: 'a-session-the-database-would-know', kind: 'agency' }, secret: TEST_SECRET, maxAge: 3600 });
    const response = await fetch(`${server.url}/sign-out`, {
      method: 'POST',
      headers: { accept: 'text/html', origin: server.url, 'content-type': 'application/x-www-form-urlencoded', cookie: `next-auth.session-token=${token}` },
      body: '',
      redirect: 'manual',
    });
    expect([response.status, response.headers.get('content-type'), response.headers.get('cache-control')]).toEqual([503, 'text/html; charset=utf-8', 'no-store']);
    // The session could not be ended: its cookie is kept, and the page does not pretend otherwise.
    expect(response.headers.get('set-cookie') ?? '').not.toMatch(/session-token=;/);
    const text = bodyText(await response.text());
    expect(text).toContain('You are not signed out yet');
    expect(text).toContain('press Sign out again');
  });

  it('still serves the guide, and says "alive, not ready" to a balancer', async () => {
    expect((await pageOf('/help')).status).toBe(200);
    expect((await fetch(`${server.url}/api/live`)).status).toBe(200);
    expect((await fetch(`${server.url}/api/ready`)).status).toBe(503);
  });

  it('logs at error level only what the unreachable database caused', () => {
    const errors = server.logLines().filter((line) => line.level >= 50);
    expect(errors.length).toBeGreaterThan(0);
    const aboutTheDatabase = (line: (typeof errors)[number]) =>
      (line.error as { code?: string } | undefined)?.code === 'P1001' || String(line.message ?? '').includes(`Can't reach database server at 127.0.0.1:${databasePort}`);
    expect(errors.filter((line) => !aboutTheDatabase(line))).toEqual([]);
  });
});
