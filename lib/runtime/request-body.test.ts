import { createServer, type IncomingMessage, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import { whenBodyArrives } from './request-body.mjs';

// A full garbage collection on demand, to see which chunks are still held by anyone.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

/**
 * A server that reads each body with whenBodyArrives and, once it has arrived, answers with the
 * outcome and the body Next.js would read. `onRead` is given each chunk the module takes off the stream.
 */
async function bodyServer(onRead: (chunk: Buffer) => void, deadlineMs = 10_000) {
  const server = createServer((request, response) => {
    const read = request.read.bind(request);
    let arrived = false;
    request.read = (size?: number) => {
      const chunk = read(size) as Buffer | null;
      if (chunk && !arrived) onRead(chunk);
      return chunk;
    };
    void whenBodyArrives(request, response, deadlineMs).then(async (outcome) => {
      arrived = true;
      const body = outcome === 'arrived' ? await readAll(request) : Buffer.alloc(0);
      response.end(JSON.stringify({ outcome, body: body.toString('base64') }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

async function readAll(request: IncomingMessage) {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** A POST with `length` declared; its body is written by the caller, a byte at a time if it likes. */
function post(server: Server, length: number) {
  const socket = connect((server.address() as AddressInfo).port, '127.0.0.1');
  socket.setNoDelay(true);
  socket.write(`POST /status HTTP/1.1\r\nHost: x\r\nContent-Length: ${length}\r\nConnection: close\r\n\r\n`);
  const answer = new Promise<{ outcome: string; body: Buffer }>((resolve, reject) => {
    let text = '';
    socket.on('data', (data) => (text += data.toString()));
    socket.on('error', reject);
    socket.on('end', () => {
      const parsed = JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4)) as { outcome: string; body: string };
      resolve({ outcome: parsed.outcome, body: Buffer.from(parsed.body, 'base64') });
    });
  });
  return { socket, answer };
}

const servers: Server[] = [];
const sockets: Socket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

describe('whenBodyArrives', () => {
  it('a body sent a byte at a time does not keep its chunks, each ~300 B of heap, and arrives whole (review r55d F1)', async () => {
    const length = 3_000;
    const sent = Buffer.from(Array.from({ length }, (_, i) => (i * 7) % 256));
    const chunksRead: WeakRef<Buffer>[] = [];
    let nextRead = () => {};
    const server = await bodyServer((chunk) => {
      chunksRead.push(new WeakRef(chunk));
      nextRead();
    });
    servers.push(server);
    const { socket, answer } = post(server, length);
    sockets.push(socket);
    // Each byte is written once the one before has been read: every byte is a chunk of its own.
    for (let i = 0; i < length - 1; i++) {
      const read = new Promise<void>((resolve) => (nextRead = resolve));
      socket.write(sent.subarray(i, i + 1));
      await read;
    }
    expect(chunksRead.length).toBe(length - 1);
    await new Promise((resolve) => setImmediate(resolve));
    collectGarbage();
    // All but the last few are gone (2,999 held before: review r55d F1).
    expect(chunksRead.filter((chunk) => chunk.deref() !== undefined).length).toBeLessThan(10);
    socket.write(sent.subarray(length - 1));
    const { outcome, body } = await answer;
    expect(outcome).toBe('arrived');
    expect(body.equals(sent)).toBe(true);
  });

  it('a body is held by the bytes it has sent, not by the length it declares', async () => {
    const server = await bodyServer(() => {});
    servers.push(server);
    collectGarbage();
    const before = process.memoryUsage().arrayBuffers;
    // 100 bodies that declare 64 KB and send one byte: 6.4 MB, were their buffers made whole at once.
    const posts = Array.from({ length: 100 }, () => post(server, 64 * 1024));
    sockets.push(...posts.map(({ socket }) => socket));
    let reads = 0;
    await new Promise<void>((resolve) => {
      server.on('request', (request: IncomingMessage) => request.once('readable', () => ++reads === posts.length && resolve()));
      for (const { socket } of posts) socket.write('x');
    });
    collectGarbage();
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(1024 * 1024);
  });

  it('a body sent whole arrives whole; one that stops short is late', async () => {
    const server = await bodyServer(() => {}, 300);
    servers.push(server);
    const form = Buffer.from('loginName=someone&password=not+the+password');
    const whole = post(server, form.length);
    const short = post(server, form.length);
    sockets.push(whole.socket, short.socket);
    whole.socket.write(form);
    short.socket.write(form.subarray(0, 10));
    const [wholeAnswer, shortAnswer] = await Promise.all([whole.answer, short.answer]);
    expect(wholeAnswer.outcome).toBe('arrived');
    expect(wholeAnswer.body.equals(form)).toBe(true);
    expect(shortAnswer.outcome).toBe('late');
  });
});
