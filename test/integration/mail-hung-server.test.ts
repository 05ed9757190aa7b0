// A mail server that accepts a connection and then never answers: the send fails within the SMTP
// timeout as any failed attempt, and a shutdown past its drain time cuts the send off and gives
// the message back. Real SMTP on loopback; the tests wait on recorded state, never on a guess of time.
import { spawn } from 'node:child_process';
import net from 'node:net';
import { describe, expect, it, vi } from 'vitest';
import { db } from '@/lib/db/client';
import { enqueueMail } from '@/lib/mail/outbox';
import { renderMail } from '@/lib/mail/render';
import { deliverDueMessages, deliverUntilEmpty, startDeliveryLoop } from '@/lib/mail/worker';
import { logger } from '@/lib/observability/logger.mjs';
import { outboxRow, queueTestMail, smtpSinkPerTest, until } from '../support/mail-worker-tests';

// Short, so a hung send fails quickly, yet long enough for a live loopback server on a busy machine.
const TIMEOUT_MS = 2000;

const mail = smtpSinkPerTest();
const { transportTo } = mail;

describe('a mail server that accepts and never answers', () => {
  // Without timeouts of its own the transport waited nodemailer's 10 minutes here (the test's limit is 30 s).
  it('fails a send whose message data is never answered: pending again, its attempt counted, retried on the usual schedule', async () => {
    mail.sink.stallOn = () => true;
    const transport = transportTo(mail.sink.url, TIMEOUT_MS);
    const id = await queueTestMail();
    expect(await deliverDueMessages(db(), transport)).toMatchObject({ claimed: 1, sent: 0, retried: 1 });
    expect(mail.sink.stalled).toHaveLength(1);
    const failed = await outboxRow(id);
    expect(failed).toMatchObject({ status: 'PENDING', attempts: 1, leaseOwner: null, leaseUntil: null });
    expect(failed.lastError).toMatch(/timeout/i);
    // The first retry waits about a minute (±20%), as after any failure.
    const waitMs = failed.nextAttemptAt.getTime() - Date.now();
    expect(waitMs).toBeGreaterThan(40_000);
    expect(waitMs).toBeLessThan(75_000);

    // The server answers again: the retry goes through, once, on the same transport.
    mail.sink.stallOn = null;
    await deliverDueMessages(db(), transport, { now: new Date(Date.now() + 2 * 60_000) });
    expect(mail.sink.received.map((m) => m.messageId)).toEqual([expect.stringContaining(id)]);
    expect(await outboxRow(id)).toMatchObject({ status: 'SENT', attempts: 2 });
  });

  it('fails a send to a server that never sends its greeting, and counts the attempt', async () => {
    const held = new Set<net.Socket>();
    const silent = net.createServer((socket) => void held.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const transport = transportTo(`smtp://127.0.0.1:${(silent.address() as net.AddressInfo).port}`, TIMEOUT_MS);
      const id = await queueTestMail();
      expect(await deliverDueMessages(db(), transport)).toMatchObject({ claimed: 1, sent: 0, retried: 1 });
      const failed = await outboxRow(id);
      expect(failed).toMatchObject({ status: 'PENDING', attempts: 1, leaseOwner: null });
      expect(failed.lastError).toMatch(/greeting|timeout/i);
      expect(held.size).toBeGreaterThan(0);
    } finally {
      for (const socket of held) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('fails a send whose server trickles its answer, a line at a time, never silent for a timeout: the send has a deadline of its own, and its connection is closed (review r52b F1)', async () => {
    const trickler = await startTricklingServer();
    try {
      const transport = transportTo(trickler.url, TIMEOUT_MS);
      const id = await queueTestMail();
      expect(await deliverDueMessages(db(), transport)).toMatchObject({ claimed: 1, sent: 0, retried: 1 });
      const failed = await outboxRow(id);
      expect(failed).toMatchObject({ status: 'PENDING', attempts: 1, leaseOwner: null, leaseUntil: null });
      expect(failed.lastError).toMatch(/Send timeout/);
      expect(trickler.linesSent()).toBeGreaterThan(3);
      await until(() => trickler.openConnections() === 0, 'the trickling connection closed');
    } finally {
      await trickler.stop();
    }
  });

  it('cuts off only the send past its deadline: the sends on other connections, some slow, are delivered once each (review r52e F3)', async () => {
    const trickler = await startTricklingServer({ trickles: (message) => message.includes('Trickle'), answerMs: 700 });
    try {
      // A longer deadline than the other tests': sends wait their turn for one of the five connections (about
      // 1.5 s at most here), and a busy machine must not make that wait a timeout.
      const transport = transportTo(trickler.url, 2 * TIMEOUT_MS);
      const stuck = await queueTestMail('Trickle');
      for (let i = 0; i < 40; i++) await queueTestMail();
      // Forty sends of 0.7 s each: one shared pool of five connections took longer than the stuck send's deadline.
      expect(await deliverDueMessages(db(), transport)).toMatchObject({ claimed: 41, sent: 40, retried: 1 });
      expect((await outboxRow(stuck)).lastError).toMatch(/Send timeout/);
      expect(trickler.answered()).toBe(40);
    } finally {
      await trickler.stop();
    }
  });

  it('opens no more connections than SMTP_URL’s `maxConnections`, the sends beyond them taking turns (review r52f F3)', async () => {
    const server = await startTricklingServer({ trickles: () => false, answerMs: 200 });
    try {
      const transport = transportTo(`${server.url}?maxConnections=2`, TIMEOUT_MS);
      for (let i = 0; i < 8; i++) await queueTestMail();
      expect(await deliverDueMessages(db(), transport)).toMatchObject({ claimed: 8, sent: 8, retried: 0 });
      expect(server.mostOpenAtOnce()).toBe(2);
      // Recipients refused, each connection slow to reset after: still no more connections (review r52g F2).
      for (let i = 0; i < 8; i++) {
        const to = i % 2 ? `refused.${i}.${Date.now()}@example.test` : `person.${i}.${Date.now()}@example.test`;
        await db().$transaction((tx) => enqueueMail(tx, { template: 'test-message', to, ...renderMail({ subject: 'Turns', paragraphs: ['Hello'] }) }));
      }
      expect(await deliverDueMessages(db(), transport)).toMatchObject({ claimed: 8, sent: 4, retried: 4 });
      expect(server.mostOpenAtOnce()).toBe(2);
    } finally {
      await server.stop();
    }
  });

  it('starts no more sends once half of its batch lease is gone (hung chunks before), and gives the rest back for the next round', async () => {
    const transport = transportTo(mail.sink.url, TIMEOUT_MS);
    const id = await queueTestMail();
    // Claimed 3 minutes ago, as if its batch's earlier chunks had hung that long: 2 minutes of lease left.
    const claimedAt = new Date(Date.now() - 3 * 60_000);
    await db().outboxMessage.update({ where: { id }, data: { nextAttemptAt: claimedAt } });
    expect(await deliverDueMessages(db(), transport, { now: claimedAt })).toEqual({ claimed: 1, sent: 0, retried: 0, dead: 0, withdrawn: 0, unopened: 0 });
    expect(await outboxRow(id)).toMatchObject({ status: 'PENDING', attempts: 0, leaseOwner: null, leaseUntil: null });
    expect(mail.sink.received).toHaveLength(0);
    // The next round claims it with a fresh lease and sends it.
    expect(await deliverDueMessages(db(), transport)).toMatchObject({ claimed: 1, sent: 1 });
  });

  it('at shutdown, waits for a hung send only until the drain time is up, then closes its connection and gives its message back as it was', async () => {
    mail.sink.stallOn = (message) => message.subject.startsWith('Hang');
    // The transport's own timeout is far off: only the cut can end this send.
    const transport = transportTo(mail.sink.url, 10 * 60_000);
    const hung = await queueTestMail('Hang');
    const delivered = await queueTestMail('Deliver');
    const stop = startDeliveryLoop(db(), transport, { intervalMs: 50 });
    await until(() => mail.sink.hungConnections === 1 && mail.sink.received.length === 1, 'one message hung and the other received');
    const warned = vi.spyOn(logger, 'warn').mockImplementation(() => {});

    const drainOver = new AbortController();
    const stopping = stop(drainOver.signal);
    // Within the drain time the send is still the loop's: its message stays leased.
    expect((await outboxRow(hung)).leaseOwner).not.toBeNull();
    drainOver.abort();
    await stopping;

    // Given back at once, no attempt counted: another instance (or the next start) sends it now.
    const given = await outboxRow(hung);
    expect(given).toMatchObject({ status: 'PENDING', attempts: 0, leaseOwner: null, leaseUntil: null, lastError: null });
    expect(given.nextAttemptAt.getTime()).toBeLessThanOrEqual(Date.now());
    // The one its server had answered is recorded as sent, never to go out again.
    expect(await outboxRow(delivered)).toMatchObject({ status: 'SENT', attempts: 1 });
    expect(warned).toHaveBeenCalledWith(expect.objectContaining({ event: 'mail.sends_abandoned', messageIds: [hung] }));
    // The hung connection is closed: nothing more can go over it.
    await until(() => mail.sink.hungConnections === 0, 'the hung connection closed');

    mail.sink.stallOn = null;
    expect(await deliverUntilEmpty(db(), transportTo(mail.sink.url, TIMEOUT_MS))).toMatchObject({ sent: 1 });
    const ids = mail.sink.received.map((m) => m.messageId);
    expect(ids).toHaveLength(2);
    expect(ids).toEqual(expect.arrayContaining([expect.stringContaining(hung), expect.stringContaining(delivered)]));
  });

  it('`npm run mail:worker` keeps running with nothing to send, delivers what is queued later, and stops on SIGTERM (review r34g F1)', async () => {
    const { worker, output, exited } = startWorker({ SMTP_URL: mail.sink.url, MAIL_POLL_MS: '100' });
    try {
      await until(() => output().includes('mail worker: delivering via SMTP'), 'the worker started');
      // Many empty rounds (it ended about a second after it started, on SQLite): still running.
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      expect(worker.exitCode).toBeNull();
      const later = await queueTestMail('Later');
      await until(() => mail.sink.received.some((m) => m.messageId.includes(later)), 'the message queued later delivered');
      worker.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      worker.kill('SIGKILL');
    }
  });

  it('`npm run mail:worker` without a transport chosen on purpose, or without the secret, refuses to start and changes nothing (review r34g F2)', async () => {
    const queued = await queueTestMail('Kept');
    for (const [missing, env] of [
      ['SMTP_URL', { ...process.env, SMTP_URL: undefined, MAIL_TRANSPORT: undefined }],
      ['NEXTAUTH_SECRET', { ...process.env, SMTP_URL: mail.sink.url, NEXTAUTH_SECRET: undefined }],
    ] as const) {
      const { output, exited } = startWorker(env, ['--until-empty']);
      expect(await exited, missing).toBe(1);
      expect(output()).toContain(`mail worker: ${missing}: required`);
    }
    expect(await outboxRow(queued)).toMatchObject({ status: 'PENDING', attempts: 0 });
  });

  it('`npm run mail:worker` stops as an instance does: a hung send is cut off at the drain time and its message given back, uncounted', async () => {
    mail.sink.stallOn = () => true;
    const hung = await queueTestMail('Hang');
    // The transport's own timeout is far off (a minute, past the test's limit): only the drain's cut ends this send.
    const { worker, output, exited } = startWorker({ SMTP_URL: `${mail.sink.url}?socketTimeout=60000&greetingTimeout=60000`, MAIL_POLL_MS: '100' });
    try {
      await until(() => mail.sink.hungConnections === 1, 'the worker’s send hung');
      expect((await outboxRow(hung)).leaseOwner).not.toBeNull();
      worker.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      worker.kill('SIGKILL');
    }
    expect(output()).toMatch(/mail worker: stopping/);
    expect(await outboxRow(hung)).toMatchObject({ status: 'PENDING', attempts: 0, leaseOwner: null, leaseUntil: null, lastError: null });
    await until(() => mail.sink.hungConnections === 0, 'the hung connection closed');
  });
});

/**
 * An SMTP server that takes a message and then answers its end, forever, one "250-" line of a multi-line
 * reply at a time, each well within the transport's timeout for silence (a tarpit, or a scanner gone slow):
 * for the messages `trickles` picks; the others it answers after `answerMs`.
 */
async function startTricklingServer({ trickles = (): boolean => true, answerMs = 0 }: { trickles?: (message: string) => boolean; answerMs?: number } = {}) {
  const open = new Set<net.Socket>();
  let lines = 0;
  let answered = 0;
  let mostOpen = 0;
  const server = net.createServer((socket) => {
    open.add(socket);
    mostOpen = Math.max(mostOpen, open.size);
    let buffered = '';
    let inData = false;
    let trickle: NodeJS.Timeout | undefined;
    socket.on('close', () => {
      clearInterval(trickle);
      open.delete(socket);
    });
    socket.on('error', () => {});
    socket.write('220 trickle ESMTP\r\n');
    socket.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('latin1');
      for (;;) {
        if (inData) {
          const end = buffered.indexOf('\r\n.\r\n');
          if (end < 0) return;
          const message = buffered.slice(0, end);
          buffered = buffered.slice(end + 5);
          inData = false;
          if (trickles(message)) {
            trickle = setInterval(() => {
              lines += 1;
              socket.write('250-still scanning\r\n');
            }, TIMEOUT_MS / 4);
          } else {
            setTimeout(() => {
              answered += 1;
              socket.write('250 queued\r\n');
            }, answerMs);
          }
          continue;
        }
        const end = buffered.indexOf('\r\n');
        if (end < 0) return;
        const line = buffered.slice(0, end);
        const command = line.slice(0, 4).toUpperCase();
        buffered = buffered.slice(end + 2);
        if (command === 'EHLO') socket.write('250-trickle\r\n250 8BITMIME\r\n');
        else if (command === 'RCPT' && line.includes('refused.')) socket.write('550 no such mailbox\r\n');
        // Slow to reset after a refusal: the connection is not free again at once.
        else if (command === 'RSET') setTimeout(() => socket.write('250 ok\r\n'), 300);
        else if (command === 'DATA') {
          inData = true;
          socket.write('354 go on\r\n');
        } else if (command === 'QUIT') socket.end('221 bye\r\n');
        else socket.write('250 ok\r\n');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `smtp://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    linesSent: () => lines,
    answered: () => answered,
    openConnections: () => open.size,
    mostOpenAtOnce: () => mostOpen,
    async stop() {
      for (const socket of open) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** `npm run mail:worker` in a process of its own, with `env` over this one's: its output so far, and its exit code once it ends. */
function startWorker(env: Record<string, string | undefined>, args: string[] = []) {
  const worker = spawn(process.execPath, ['--import', 'tsx', 'scripts/mail-worker.ts', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  worker.stdout.on('data', (chunk: Buffer) => (output += chunk));
  worker.stderr.on('data', (chunk: Buffer) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => worker.once('exit', resolve));
  return { worker, output: () => output, exited };
}
