import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seeOtherAfterPost } from './see-other.mjs';

let server: Server;
let port: number;

// Answers every request the way Next.js answers a redirect: by status, or by writeHead with headers.
beforeAll(async () => {
  server = createServer((request, response) => {
    seeOtherAfterPost(request, response);
    const [, status, how] = /^\/(\d+)\/(implicit|explicit|phrase)$/.exec(request.url ?? '') ?? [];
    if (how === 'phrase') {
      response.writeHead(Number(status), 'Temporary Redirect', { Location: '/login' }).end();
    } else if (how === 'implicit') {
      response.statusCode = Number(status);
      response.setHeader('Location', '/login');
      response.end();
    } else {
      response.writeHead(Number(status), { Location: '/login' }).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function answerOf(method: string, path: string): Promise<{ status: number | undefined; phrase: string | undefined }> {
  return new Promise((resolve, reject) => {
    const sent = httpRequest({ host: '127.0.0.1', port, method, path }, (response) => {
      response.resume();
      resolve({ status: response.statusCode, phrase: response.statusMessage });
    });
    sent.on('error', reject);
    sent.end(method === 'POST' ? 'a=b' : undefined);
  });
}

const statusOf = async (method: string, path: string) => (await answerOf(method, path)).status;

describe('seeOtherAfterPost', () => {
  it.each(['implicit', 'explicit'])('[ANYONE] a 307 answering a POST (%s head) goes out as 303, so the form is not sent again', async (how) => {
    expect(await statusOf('POST', `/307/${how}`)).toBe(303);
  });

  it('[ANYONE] a 307 written with its reason phrase goes out as "303 See Other"', async () => {
    expect(await answerOf('POST', '/307/phrase')).toEqual({ status: 303, phrase: 'See Other' });
  });

  it.each([
    ['GET', '/307/implicit', 307],
    ['HEAD', '/307/explicit', 307],
    ['POST', '/308/implicit', 308],
    ['POST', '/303/explicit', 303],
    ['POST', '/200/implicit', 200],
  ])('[ANYONE] leaves %s %s as %i', async (method, path, status) => {
    expect(await statusOf(method, path)).toBe(status);
  });
});
