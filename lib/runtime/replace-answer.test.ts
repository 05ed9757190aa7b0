import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replaceAnswer } from './replace-answer.mjs';

const REPLACEMENT = Buffer.from('<p>the kept page</p>');
let server: Server;
let port: number;

// Each path writes a 404 page the way Next.js may: the head given to writeHead or set before,
// the body in one end() or in chunks, with no writeHead at all. Only 404 HTML answers are replaced;
// a 502 HTML answer is replaced under 503.
beforeAll(async () => {
  server = createServer((request, response) => {
    replaceAnswer(response, (status) => {
      if ((status !== 404 && status !== 502) || !/^text\/html/.test(String(response.getHeader('content-type')))) return undefined;
      response.setHeader('Content-Length', REPLACEMENT.length);
      return status === 502 ? { status: 503, body: REPLACEMENT } : REPLACEMENT;
    });
    const [, status = '404', how] = /^\/(\d+)\/(\w+)$/.exec(request.url ?? '') ?? [];
    const code = Number(status);
    if (how === 'given') {
      response.writeHead(code, { 'Content-Type': 'text/html', 'Set-Cookie': 'kept=1' }).end('their own bytes, much longer than the kept page');
    } else if (how === 'chunks') {
      response.statusCode = code;
      response.setHeader('Content-Type', 'text/html');
      response.write('their ');
      response.write('own bytes');
      response.end();
    } else if (how === 'phrase') {
      response.writeHead(code, 'Gone Fishing', { 'Content-Type': 'text/html' }).end('their own bytes');
    } else if (how === 'json') {
      response.writeHead(code, { 'Content-Type': 'application/json' }).end('{"error":"NOT_FOUND"}');
    } else {
      response.writeHead(code, ['Content-Type', 'text/html']).end('raw pairs');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function answerOf(method: string, path: string) {
  return new Promise<{ status: number | undefined; phrase: string | undefined; headers: Record<string, unknown>; body: string }>((resolve, reject) => {
    const sent = httpRequest({ host: '127.0.0.1', port, method, path }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode, phrase: response.statusMessage, headers: response.headers, body: Buffer.concat(chunks).toString() }));
    });
    sent.on('error', reject);
    sent.end();
  });
}

describe('replaceAnswer', () => {
  it.each(['given', 'chunks'])('[ANYONE] replaces the bytes of an answer it chooses (head %s), with their length', async (how) => {
    const answer = await answerOf('GET', `/404/${how}`);
    expect(answer.status).toBe(404);
    expect(answer.body).toBe(REPLACEMENT.toString());
    expect(answer.headers['content-length']).toBe(String(REPLACEMENT.length));
  });

  it("[ANYONE] keeps the answer's own headers given to writeHead (its cookies) and its reason phrase", async () => {
    expect((await answerOf('GET', '/404/given')).headers['set-cookie']).toEqual(['kept=1']);
    expect(await answerOf('GET', '/404/phrase')).toMatchObject({ status: 404, phrase: 'Gone Fishing', body: REPLACEMENT.toString() });
  });

  it.each(['given', 'chunks', 'phrase'])('[ANYONE] sends the replacement under a status of its own (head %s), without the reason phrase of the other', async (how) => {
    expect(await answerOf('GET', `/502/${how}`)).toMatchObject({ status: 503, phrase: 'Service Unavailable', body: REPLACEMENT.toString() });
  });

  it('[ANYONE] sends no body for HEAD', async () => {
    expect(await answerOf('HEAD', '/404/given')).toMatchObject({ status: 404, body: '' });
  });

  it.each([
    ['/200/given', 200, 'their own bytes, much longer than the kept page'],
    ['/500/chunks', 500, 'their own bytes'],
    ['/404/json', 404, '{"error":"NOT_FOUND"}'],
    ['/404/raw', 404, 'raw pairs'],
  ])('[ANYONE] leaves %s alone', async (path, status, body) => {
    expect(await answerOf('GET', path)).toMatchObject({ status, body });
  });
});
