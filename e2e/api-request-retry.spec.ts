// The specs' API client sends a GET or HEAD again when its connection is reset, as a browser does
// (the server closes a keep-alive connection idle for 5 s; e2e/support/test.ts), and never a POST.
// Against a server of the test's own that resets the connection of the request it is told to.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIRequestContext } from '@playwright/test';
import { expect, test } from './support/test';

let server: http.Server;
let url: string;
/** The methods of the requests the server got, in order. */
let received: string[] = [];
/** The next request's connection is reset, not answered. */
let resetNext = false;

test.beforeAll(async () => {
  server = http.createServer((request, response) => {
    received.push(request.method!);
    if (resetNext) {
      resetNext = false;
      request.socket.destroy();
      return;
    }
    request.resume().on('end', () => response.end('answered'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/login`;
});

test.afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** Resets the connection of the next request, then sends `send`; returns its answer (or error) and what the server got. */
async function withFirstReset<T>(send: () => Promise<T>) {
  received = [];
  resetNext = true;
  const answer = await send().catch((error: Error) => error);
  return { answer, seen: received };
}

async function expectRetriedIdempotentOnly(api: APIRequestContext, name: string) {
  for (const [method, send] of [
    ['GET', () => api.get(url)],
    ['HEAD', () => api.head(url)],
    ['GET', () => api.fetch(url)],
  ] as const) {
    const { answer, seen } = await withFirstReset(send);
    expect(answer instanceof Error ? answer.message : answer.status(), `${name} ${method}`).toBe(200);
    expect(seen, `${name} ${method}`).toEqual([method, method]);
  }
  for (const send of [() => api.post(url, { form: { once: '1' } }), () => api.fetch(url, { method: 'POST', data: 'once' })]) {
    const { answer, seen } = await withFirstReset(send);
    expect(answer instanceof Error ? answer.message : answer.status(), `${name} POST`).toMatch(/ECONNRESET/);
    expect(seen, `${name} POST`).toEqual(['POST']);
  }
}

test('a GET or HEAD whose connection is reset is sent again, a POST never, whichever way the API context was made', async ({ request, page, browser, playwright }) => {
  const context = await browser.newContext();
  const own = await playwright.request.newContext();
  try {
    await expectRetriedIdempotentOnly(request, 'request fixture');
    await expectRetriedIdempotentOnly(page.request, 'page.request');
    await expectRetriedIdempotentOnly(context.request, 'context.request');
    await expectRetriedIdempotentOnly(own, 'playwright.request.newContext()');
  } finally {
    await context.close();
    await own.dispose();
  }
});

test('a request’s own maxRetries is kept: 0 leaves a reset GET failed', async ({ request }) => {
  const { answer, seen } = await withFirstReset(() => request.get(url, { maxRetries: 0 }));
  expect(answer instanceof Error ? answer.message : answer.status()).toMatch(/ECONNRESET/);
  expect(seen).toEqual(['GET']);
});
