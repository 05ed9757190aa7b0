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
 * within a second or two, even after scanning a message: 30 s leaves it fifteen times that, and
 * a chunk of sends that all hang (two turns of the pool's 5 connections) still ends within 2 min.
 * Parameters in SMTP_URL (`?socketTimeout=60000`) override these, as nodemailer reads them last.
 */
export const SMTP_TIMEOUT_MS = 30_000;

/**
 * How long one send may take in all, from the moment it is handed to the pool, in SMTP timeouts (90 s).
 * The timeouts bound silence only: a server that trickles a multi-line reply, a line every 20 s, held
 * one send for 7 minutes, past its message's lease, and another worker sent it again (review r52b F1).
 * A slow but live relay finishes well within; a send started while half its batch's lease is left
 * (lib/mail/worker.ts, LEASE_LEFT_TO_START_MS) ends with a minute of the lease to spare.
 */
const SEND_DEADLINE_IN_TIMEOUTS = 3;

type PooledConnection = { close(): void };
type Transporter = ReturnType<typeof nodemailer.createTransport>;

/** Closes the pool and every connection in it now: a send still in flight on it fails. */
function closeNow(transporter: Transporter): void {
  transporter.close();
  // The pool closes a busy connection only once its send is over, which a server that never
  // answers does not allow: closed now, its send fails (at shutdown, past the drain time).
  const pool = transporter.transporter as unknown as { _connections?: PooledConnection[] };
  for (const connection of [...(pool._connections ?? [])]) connection.close();
}

/**
 * A pooled SMTP connection to SMTP_URL. `timeoutMs`: see SMTP_TIMEOUT_MS; `sendDeadlineMs`: see
 * SEND_DEADLINE_IN_TIMEOUTS (tests pass short ones). A send past its deadline fails as a timed-out attempt,
 * and the pool it ran on is closed (which of its connections holds the send is nodemailer's to
 * know): sends after it open a new one.
 */
export function createSmtpTransport(
  smtpUrl: string,
  { timeoutMs = SMTP_TIMEOUT_MS, sendDeadlineMs = SEND_DEADLINE_IN_TIMEOUTS * timeoutMs }: { timeoutMs?: number; sendDeadlineMs?: number } = {},
): MailTransport {
  const open = () =>
    nodemailer.createTransport({
      url: smtpUrl,
      pool: true,
      connectionTimeout: timeoutMs,
      greetingTimeout: timeoutMs,
      socketTimeout: timeoutMs,
    });
  let transporter = open();
  return {
    kind: 'smtp',
    async send(mail) {
      const pool = transporter;
      let timer: NodeJS.Timeout | undefined;
      const pastDeadline = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          if (transporter === pool) transporter = open();
          closeNow(pool);
          reject(new Error(`Send timeout: the mail server took more than ${sendDeadlineMs} ms over this message`));
        }, sendDeadlineMs);
      });
      try {
        await Promise.race([pool.sendMail(toNodemailer(mail)), pastDeadline]);
      } finally {
        clearTimeout(timer);
      }
    },
    close() {
      closeNow(transporter);
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
