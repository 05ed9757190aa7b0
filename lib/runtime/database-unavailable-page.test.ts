import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestScope } from '@/lib/observability/logger.mjs';
import { answerDatabaseUnavailable } from './database-unavailable-page.mjs';

let server: Server;
let port: number;

// Each request is answered as Next.js answers a page that threw: a 500 with its empty shell (or, at
// /json, a route's 500 JSON). `?marked` stands for the app's database client having marked the scope.
beforeAll(async () => {
  server = createServer((request, response) => {
    const scope: RequestScope = { requestId: 'req-<1>' };
    answerDatabaseUnavailable(request, response, scope);
    if (request.url?.includes('marked')) scope.databaseUnavailable = true;
    const json = request.url?.startsWith('/json');
    response.setHeader('ETag', '"shell"');
    response.setHeader('Link', '</_next/static/chunks/main.js>; rel=preload; as="script"');
    response
      .writeHead(500, { 'Content-Type': json ? 'application/json' : 'text/html; charset=utf-8', 'Cache-Control': 'private, no-cache, no-store, max-age=0, must-revalidate' })
      .end(json ? '{"error":"INTERNAL"}' : '<!DOCTYPE html><html id="__next_error__"><head><title>Your account</title></head><body><script src="/x.js"></script></body></html>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function answerOf(method: string, path: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number | undefined; headers: Record<string, string | string[] | undefined>; body: string }>((resolve, reject) => {
    const sent = httpRequest({ host: '127.0.0.1', port, method, path, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode, headers: response.headers, body: Buffer.concat(chunks).toString() }));
    });
    sent.on('error', reject);
    sent.end();
  });
}

describe('answerDatabaseUnavailable', () => {
  it('[ANYONE] answers a page the database failed with 503, Retry-After, never stored, and an apology readable without JavaScript', async () => {
    const answer = await answerOf('GET', '/account?marked');
    expect(answer.status).toBe(503);
    expect(answer.headers).toMatchObject({ 'retry-after': '120', 'cache-control': 'no-store', 'content-type': 'text/html; charset=utf-8' });
    expect(answer.headers['content-length']).toBe(String(Buffer.byteLength(answer.body)));
    // Nothing of the shell's: its validator, its scripts' preload.
    expect(answer.headers.etag).toBeUndefined();
    expect(answer.headers.link).toBeUndefined();
    expect(answer.body).not.toMatch(/__next_error__|<script/);
    expect(answer.body).toContain('<h1>Sorry, this page is not working right now</h1>');
    expect(answer.body).toContain('<a href="/status">system status</a>');
    expect(answer.body).toContain('<a href="/help">sign-in help guide</a>');
    // The reference is the request id, escaped as any text.
    expect(answer.body).toContain('quote the reference <strong>req-&#60;1&#62;</strong>');
  });

  it('[ANYONE] /status says the status cannot be shown and points to the guide, whatever its query', async () => {
    const answer = await answerOf('GET', '/status?marked');
    expect([answer.status, answer.headers['retry-after']]).toEqual([503, '120']);
    expect(answer.body).toContain('<title>System status cannot be shown · CareNotes password help</title>');
    expect(answer.body).toContain('<h1>The system status cannot be shown just now</h1>');
    expect(answer.body).toContain('<a href="/help">sign-in help guide</a>');
    expect(answer.body).not.toContain('href="/status"');
  });

  it('[ANYONE] sends the head alone for HEAD', async () => {
    expect(await answerOf('HEAD', '/status?marked')).toMatchObject({ status: 503, headers: { 'retry-after': '120' }, body: '' });
  });

  it('[ANYONE without JavaScript] a form whose page could not be drawn again around its answer: 503, saying what was sent may not have been done (r29c F3)', async () => {
    const answer = await answerOf('POST', '/status?marked');
    expect([answer.status, answer.headers['retry-after'], answer.headers['cache-control']]).toEqual([503, '120', 'no-store']);
    expect(answer.body).not.toMatch(/__next_error__|<script/);
    expect(answer.body).toContain('<h1>Sorry, what you sent could not be handled right now</h1>');
    expect(answer.body).toContain('so it may not have been done');
    expect(answer.body).toContain('go back and send it again');
  });

  it.each<[string, string, Record<string, string>, string]>([
    ['GET', '/account', {}, 'a 500 the database did not cause (a bug)'],
    ['POST', '/account?marked', { 'next-action': '7f00' }, 'a call made with JavaScript, whose answer the page’s script reads'],
    ['POST', '/account', {}, 'a form the database did not fail'],
    ['GET', '/json?marked', {}, 'a route: not a page'],
  ])('[ANYONE] leaves %s %s (%o) alone: %s', async (method, path, headers) => {
    const answer = await answerOf(method, path, headers);
    expect(answer.status).toBe(500);
    expect(answer.headers['retry-after']).toBeUndefined();
    expect(answer.body).toMatch(/__next_error__|INTERNAL/);
  });
});
