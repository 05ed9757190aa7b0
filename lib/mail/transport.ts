import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import nodemailer from 'nodemailer';
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
  close(): void;
};

function messageIdFor(id: string): string {
  return `<${id}@${new URL(config().APP_URL).hostname}>`;
}

function toNodemailer(mail: OutgoingMail) {
  return {
    from: config().MAIL_FROM,
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    headers: mail.headers,
    messageId: messageIdFor(mail.messageId),
  };
}

/** A pooled SMTP connection to SMTP_URL. */
export function createSmtpTransport(smtpUrl: string): MailTransport {
  const transporter = nodemailer.createTransport(smtpUrl.includes('?') ? `${smtpUrl}&pool=true` : `${smtpUrl}?pool=true`);
  return {
    kind: 'smtp',
    async send(mail) {
      await transporter.sendMail(toNodemailer(mail));
    },
    close: () => transporter.close(),
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
