// Admission in server.mjs (lib/runtime/admission.mjs, decision 052): with every place in the app
// taken and no room to wait, a request is refused with 503 and Retry-After, while the probes and the
// pages sent from memory still answer; once the place is free, the app answers again.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations } from '@/scripts/db/migrate';
import { startProductionServer, TEST_SECRET, throwawaySqliteUrl, type ProductionServer } from '../support/production-server';

const APP_URL = 'http://127.0.0.1:9';
let server: ProductionServer;

beforeAll(async () => {
  const url = throwawaySqliteUrl();
  await applyMigrations(url);
  server = await startProductionServer({
    DATABASE_URL: url,
    APP_URL,
    NEXTAUTH_SECRET: TEST_SECRET,
    MAIL_TRANSPORT: 'file',
    MAIL_DIR: `${url.slice(5)}-mail`,
    MAX_REQUESTS_IN_FLIGHT: '1',
    MAX_REQUESTS_WAITING: '0',
  });
});

afterAll(async () => {
  await server?.stop();
});

/**
 * A form post to the app whose body has not all arrived: Next.js reads the body of a form post before
 * it answers, so this request holds the one place until `finish` sends the rest.
 */
function slowFormPost(port: number) {
  const boundary = 'portaladmissiontest';
  const body = `--${boundary}\r\nContent-Disposition: form-data; name="loginName"\r\n\r\nsomeone\r\n--${boundary}--\r\n`;
  const socket = net.connect(port, '127.0.0.1');
  let answer = '';
  socket.on('data', (chunk) => (answer += chunk.toString()));
  const answered = new Promise<string>((resolve) => socket.on('close', () => resolve(answer)));
  socket.write(
    `POST /login HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nOrigin: ${APP_URL}\r\nContent-Type: multipart/form-data; boundary=${boundary}\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body.slice(0, 20)}`,
  );
  return { finish: () => socket.write(body.slice(20)), answered };
}

describe('[OPERATOR] admission in front of the app', () => {
  it('refuses with 503 and Retry-After when every place is taken and no one may wait; probes and pages from memory still answer', async () => {
    // /help is kept in memory once the instance has fetched it after start.
    for (let i = 0; i < 200 && !(await fetch(`${server.url}/help`)).headers.get('x-portal-from-memory'); i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect((await fetch(`${server.url}/vendor/login`)).status).toBe(200);

    const held = slowFormPost(server.port);
    let refused: Response | undefined;
    // The held post takes the place as soon as its head is read; until then a page may still get in.
    for (let i = 0; i < 200 && refused?.status !== 503; i++) refused = await fetch(`${server.url}/vendor/login`);
    expect(refused?.status).toBe(503);
    expect(refused?.headers.get('retry-after')).toBe('5');
    expect(await refused?.text()).toMatch(/very busy/);

    expect((await fetch(`${server.url}/api/live`)).status).toBe(200);
    expect((await fetch(`${server.url}/api/ready`)).status).toBe(200);
    const help = await fetch(`${server.url}/help`);
    expect(help.status).toBe(200);
    expect(help.headers.get('x-portal-from-memory')).toBe('1');

    held.finish();
    expect(await held.answered).toMatch(/^HTTP\/1\.1 \d{3}/);
    expect((await fetch(`${server.url}/vendor/login`)).status).toBe(200);
  });
});
