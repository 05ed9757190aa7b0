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
 * How long one send may take in all, in SMTP timeouts (90 s). The timeouts bound silence only: a server
 * that trickles a multi-line reply, a line every 20 s, held one send for 7 minutes, past its message's
 * lease, and another worker sent it again (review r52b F1). A slow but live relay finishes well within;
 * a send started while half its batch's lease is left (lib/mail/worker.ts, LEASE_LEFT_TO_START_MS) ends
 * with a minute of the lease to spare. A send cut off may have reached the server whole: its retry then
 * delivers it again, with the same Message-ID.
 */
const SEND_DEADLINE_IN_TIMEOUTS = 3;

type PooledConnection = { close(): void };
type Transporter = ReturnType<typeof nodemailer.createTransport>;
/** One connection of the transport's, kept open between sends; `busy` while a send is on it. */
type Lane = { transporter: Transporter; busy: boolean };

/** Closes a pool and every connection in it now: a send still in flight on it fails. */
function closeNow(transporter: Transporter): void {
  transporter.close();
  // The pool closes a busy connection only once its send is over, which a server that never
  // answers does not allow: closed now, its send fails (at shutdown, past the drain time).
  const pool = transporter.transporter as unknown as { _connections?: PooledConnection[] };
  for (const connection of [...(pool._connections ?? [])]) connection.close();
}

/**
 * SMTP to SMTP_URL, each send on a connection of its own: a pool of one connection per send under way,
 * kept open for the sends after it. A send past its deadline fails as a timed-out attempt, and only its
 * own connection is closed: one shared pool closed for it failed every send on its other connections,
 * some already received whole, and counted the sends waiting for a connection against the deadline
 * too (review r52e F3). `timeoutMs`: see SMTP_TIMEOUT_MS; `sendDeadlineMs`: see SEND_DEADLINE_IN_TIMEOUTS
 * (tests pass short ones).
 */
export function createSmtpTransport(
  smtpUrl: string,
  { timeoutMs = SMTP_TIMEOUT_MS, sendDeadlineMs = SEND_DEADLINE_IN_TIMEOUTS * timeoutMs }: { timeoutMs?: number; sendDeadlineMs?: number } = {},
): MailTransport {
  const open = (): Lane => ({
    transporter: nodemailer.createTransport({
      url: smtpUrl,
      pool: true,
      maxConnections: 1,
      // The worker owns retries, on its schedule and its count of attempts: nodemailer's own would send a
      // message again within one send, on a new connection, where the outbox never sees it.
      maxRequeues: 0,
      connectionTimeout: timeoutMs,
      greetingTimeout: timeoutMs,
      socketTimeout: timeoutMs,
    }),
    busy: false,
  });
  const lanes: Lane[] = [];
  let closed = false;
  const freeLane = () => {
    if (closed) throw new Error('The mail transport is closed');
    const lane = lanes.find((candidate) => !candidate.busy) ?? lanes[lanes.push(open()) - 1]!;
    lane.busy = true;
    return lane;
  };
  return {
    kind: 'smtp',
    async send(mail) {
      const lane = freeLane();
      let timer: NodeJS.Timeout | undefined;
      const pastDeadline = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          lanes.splice(lanes.indexOf(lane), 1);
          closeNow(lane.transporter);
          reject(new Error(`Send timeout: the mail server took more than ${sendDeadlineMs} ms over this message`));
        }, sendDeadlineMs);
      });
      try {
        await Promise.race([lane.transporter.sendMail(toNodemailer(mail)), pastDeadline]);
      } finally {
        clearTimeout(timer);
        lane.busy = false;
      }
    },
    close() {
      closed = true;
      for (const lane of lanes.splice(0)) closeNow(lane.transporter);
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
