// A real SMTP server on loopback and a pooled nodemailer transport to it, for the tests of one
// file or describe block (started before them, closed after).
import { afterAll, beforeAll } from 'vitest';
import { createSmtpTransport, type MailTransport } from '@/lib/mail/transport';
import { startSmtpSink, type SmtpSink } from './smtp-sink';

export function withSmtpSink(): { readonly sink: SmtpSink; readonly smtp: MailTransport } {
  let sink: SmtpSink | undefined;
  let smtp: MailTransport | undefined;
  beforeAll(async () => {
    sink = await startSmtpSink();
    smtp = createSmtpTransport(sink.url);
  });
  afterAll(async () => {
    smtp?.close();
    await sink?.stop();
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('withSmtpSink: read inside a test or hook, after beforeAll');
    return value;
  };
  return {
    get sink() {
      return started(sink);
    },
    get smtp() {
      return started(smtp);
    },
  };
}
