import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { encodeWord } from 'nodemailer/lib/mime-funcs';
import { config } from '@/lib/config';

export type OutgoingMail = {
  /** Stable per outbox message, so a receiver can drop the rare duplicate of a retried send. */
  messageId: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
};

export type MailTransport = {
  kind: 'smtp' | 'file';
  send(mail: OutgoingMail): Promise<void>;
  /** Closes every connection now; a send still in flight fails. */
  close(): void;
};

function messageIdFor(id: string): string {
  return `<${id}@${new URL(config().APP_URL).hostname}>`;
}

/**
 * The subject as its reader will see it. A mail program decodes an RFC 2047 encoded word ("=?UTF-8?B?…?=")
 * wherever it stands in a subject, and an ASCII subject goes out as it is: a title made of one showed its
 * reader text the title's rules never saw, an address or a bidi override (review r40b F1). A subject that
 * holds "=?" goes out wholly encoded (null: as it is), which decodes to its own text, "=?" and all.
 */
export function encodedSubject(subject: string): { value: string; prepared: true; foldLines: true } | null {
  return subject.includes('=?') ? { value: encodeWord(subject, 'B', 52), prepared: true, foldLines: true } : null;
}

function toNodemailer(mail: OutgoingMail) {
  const encoded = encodedSubject(mail.subject);
  return {
    from: config().MAIL_FROM,
    to: mail.to,
    ...(encoded ? { headers: { ...mail.headers, Subject: encoded } } : { subject: mail.subject, headers: mail.headers }),
    text: mail.text,
    html: mail.html,
    messageId: messageIdFor(mail.messageId),
  };
}

/**
 * How long the SMTP client waits on the mail server: to connect (DNS, TCP, TLS and the greeting
 * together), for the greeting, and for each reply once connected. nodemailer's own (2 min, 30 s,
 * 10 min) let a server that accepts and never answers hold a send for twice a message's 5-minute
 * lease (lib/mail/worker.ts), and the delivery loop and shutdown with it. A live relay answers
 * within a second or two, even after scanning a message: 30 s leaves it fifteen times that.
 * Parameters in SMTP_URL (`?socketTimeout=60000`) override these, as nodemailer reads them last.
 */
export const SMTP_TIMEOUT_MS = 30_000;

/**
 * How long one send may take once it holds a connection, in SMTP timeouts (60 s); a send waits at most
 * as long again for a connection to come free. The timeouts bound silence only: a server that trickles
 * a multi-line reply, a line every 20 s, held one send for 7 minutes, past its message's lease, and
 * another worker sent it again (review r52b F1). A slow but live relay finishes well within; a send
 * started while half its batch's lease is left (lib/mail/worker.ts, LEASE_LEFT_TO_START_MS) ends, waiting
 * included, with half a minute of the lease to spare. A send cut off may have reached the server whole:
 * its retry then delivers it again, with the same Message-ID.
 */
const SEND_DEADLINE_IN_TIMEOUTS = 2;
/** nodemailer's own number of pooled connections, unless SMTP_URL says `?maxConnections=`. */
const DEFAULT_MAX_CONNECTIONS = 5;

type PooledConnection = { close(): void };
type Transporter = ReturnType<typeof nodemailer.createTransport>;
/** One connection of the transport's (a pool of one), kept open between sends; `busy` while a send is on it. */
type Lane = { transporter: Transporter; busy: boolean };
type Waiting = { take: (lane: Lane) => void; fail: (error: Error) => void };

/** Closes a pool and every connection in it now: a send still in flight on it fails. */
function closeNow(transporter: Transporter): void {
  transporter.close();
  // The pool closes a busy connection only once its send is over, which a server that never
  // answers does not allow: closed now, its send fails (at shutdown, past the drain time).
  const pool = transporter.transporter as unknown as { _connections?: PooledConnection[] };
  for (const connection of [...(pool._connections ?? [])]) connection.close();
}

/**
 * How many connections to open at most (SMTP_URL's `?maxConnections=`, else 5), and the URL each opens:
 * SMTP_URL without that parameter, since nodemailer reads the URL's parameters last and each connection
 * would otherwise open that many of its own (review r52g F2).
 */
function connectionsOf(smtpUrl: string): { maxConnections: number; connectionUrl: string } {
  const url = new URL(smtpUrl);
  if (!url.searchParams.has('maxConnections')) return { maxConnections: DEFAULT_MAX_CONNECTIONS, connectionUrl: smtpUrl };
  const asked = Number(url.searchParams.get('maxConnections'));
  url.searchParams.delete('maxConnections');
  return { maxConnections: Number.isInteger(asked) && asked > 0 ? asked : DEFAULT_MAX_CONNECTIONS, connectionUrl: url.toString() };
}

/**
 * SMTP to SMTP_URL over at most `?maxConnections=` connections (5), each send on one of its own: a send past
 * its deadline fails as a timed-out attempt and closes only its own connection. One shared pool closed for
 * it failed every send on its other connections, some already received whole (review r52e F3); a pool per
 * send opened as many connections as sends under way (r52f F3). `timeoutMs`: see SMTP_TIMEOUT_MS;
 * `sendDeadlineMs`: see SEND_DEADLINE_IN_TIMEOUTS (tests pass short ones).
 */
export function createSmtpTransport(
  smtpUrl: string,
  { timeoutMs = SMTP_TIMEOUT_MS, sendDeadlineMs = SEND_DEADLINE_IN_TIMEOUTS * timeoutMs }: { timeoutMs?: number; sendDeadlineMs?: number } = {},
): MailTransport {
  const { maxConnections: limit, connectionUrl } = connectionsOf(smtpUrl);
  // Each lane holds one connection; the cap is the lanes' own.
  const open = (): Lane => ({
    transporter: nodemailer.createTransport({
      url: connectionUrl,
      pool: true,
      maxConnections: 1,
      connectionTimeout: timeoutMs,
      greetingTimeout: timeoutMs,
      socketTimeout: timeoutMs,
    }),
    busy: true,
  });
  const lanes: Lane[] = [];
  const waiting: Waiting[] = [];
  let closed = false;

  /** A free connection, a new one under the limit, or the next to come free (failing past one deadline). */
  const takeLane = (): Promise<Lane> => {
    if (closed) return Promise.reject(new Error('The mail transport is closed'));
    const idle = lanes.find((lane) => !lane.busy);
    if (idle) {
      idle.busy = true;
      return Promise.resolve(idle);
    }
    if (lanes.length < limit) return Promise.resolve(lanes[lanes.push(open()) - 1]!);
    return new Promise((resolve, reject) => {
      const entry: Waiting = {
        take: (lane) => {
          clearTimeout(timer);
          resolve(lane);
        },
        fail: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      const timer = setTimeout(() => {
        waiting.splice(waiting.indexOf(entry), 1);
        reject(new Error(`Send timeout: no connection to the mail server came free within ${sendDeadlineMs} ms`));
      }, sendDeadlineMs);
      waiting.push(entry);
    });
  };
  /** The send on `lane` is over: the lane goes to the next waiting send, or waits for one. */
  const release = (lane: Lane) => {
    const next = waiting.shift();
    if (next) next.take(lane);
    else lane.busy = false;
  };
  /** The send on `lane` is past its deadline: its connection closed, a new one opened for the next waiting send. */
  const retire = (lane: Lane) => {
    const at = lanes.indexOf(lane);
    if (at !== -1) lanes.splice(at, 1);
    closeNow(lane.transporter);
    const next = waiting.shift();
    if (next) next.take(lanes[lanes.push(open()) - 1]!);
  };

  return {
    kind: 'smtp',
    async send(mail) {
      const lane = await takeLane();
      let timer: NodeJS.Timeout | undefined;
      let pastItsDeadline = false;
      const pastDeadline = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          pastItsDeadline = true;
          retire(lane);
          reject(new Error(`Send timeout: the mail server took more than ${sendDeadlineMs} ms over this message`));
        }, sendDeadlineMs);
      });
      try {
        await Promise.race([lane.transporter.sendMail(toNodemailer(mail)), pastDeadline]);
      } finally {
        clearTimeout(timer);
        if (!pastItsDeadline && !closed) release(lane);
      }
    },
    close() {
      closed = true;
      for (const lane of lanes.splice(0)) closeNow(lane.transporter);
      for (const entry of waiting.splice(0)) entry.fail(new Error('The mail transport is closed'));
    },
  };
}

/**
 * The embedded default: each message becomes an .eml file in MAIL_DIR (RFC 822, what an
 * SMTP server would have received). Named by the outbox id, so a retry overwrites, never duplicates.
 */
export function createFileTransport(directory: string): MailTransport {
  const transporter = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    kind: 'file',
    async send(mail) {
      const info = await transporter.sendMail(toNodemailer(mail));
      mkdirSync(directory, { recursive: true });
      const file = path.join(directory, `${mail.messageId}.eml`);
      writeFileSync(`${file}.tmp`, info.message as Buffer);
      renameSync(`${file}.tmp`, file);
    },
    close: () => transporter.close(),
  };
}

export function createConfiguredTransport(): MailTransport {
  const { SMTP_URL, MAIL_DIR } = config();
  return SMTP_URL ? createSmtpTransport(SMTP_URL) : createFileTransport(path.resolve(MAIL_DIR));
}
