// A real SMTP server on loopback that keeps what it receives, parsed. It can be stopped
// and started again on the same port to play a mail server outage, or hang on chosen messages.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** What the client said around the message: whom to deliver it to (domains as the server reads them, in Unicode), and whether it asked for SMTPUTF8. */
export type SmtpEnvelope = { rcptTo: string[]; smtpUtf8: boolean };

export type ReceivedMail = {
  envelope: SmtpEnvelope;
  to: string[];
  subject: string;
  text: string;
  html: string;
  messageId: string;
  headers: Map<string, unknown>;
  raw: string;
};

export type SmtpSink = {
  port: number;
  url: string;
  received: ReceivedMail[];
  /** Messages this returns true for are read and never answered: a hung mail server. */
  stallOn: ((mail: ReceivedMail) => boolean) | null;
  /** What it hung on (never in `received`). */
  stalled: ReceivedMail[];
  /** Connections it is hanging on that are still open. */
  hungConnections: number;
  start(): Promise<void>;
  stop(): Promise<void>;
  waitFor(predicate: (mail: ReceivedMail) => boolean, timeoutMs?: number): Promise<ReceivedMail>;
};

function toReceived(parsed: ParsedMail, raw: string, envelope: SmtpEnvelope): ReceivedMail {
  return {
    envelope,
    to: [parsed.to ?? []].flat().flatMap((a) => a.value.map((v) => v.address ?? '')),
    subject: parsed.subject ?? '',
    text: parsed.text ?? '',
    html: typeof parsed.html === 'string' ? parsed.html : '',
    messageId: parsed.messageId ?? '',
    headers: parsed.headers,
    raw,
  };
}

/** `saveTo`: also write each message to that folder, for readers in other processes (e2e specs). */
export async function startSmtpSink(port = 0, options: { saveTo?: string } = {}): Promise<SmtpSink> {
  if (options.saveTo) mkdirSync(options.saveTo, { recursive: true });
  let saved = 0;
  const received: ReceivedMail[] = [];
  const hanging = new Set<string>();
  let server: SMTPServer | undefined;
  const sink: SmtpSink = {
    port,
    url: '',
    received,
    stallOn: null,
    stalled: [],
    hungConnections: 0,
    async start() {
      server = new SMTPServer({
        authOptional: true,
        disabledCommands: ['STARTTLS', 'AUTH'],
        logger: false,
        // Drop open connections at once on stop: an outage, not a polite shutdown.
        closeTimeout: 50,
        onClose(session) {
          if (hanging.delete(session.id)) sink.hungConnections -= 1;
        },
        onData(stream, session, callback) {
          const chunks: Buffer[] = [];
          stream.on('data', (chunk: Buffer) => chunks.push(chunk));
          stream.on('end', () => {
            const raw = Buffer.concat(chunks).toString('utf8');
            const envelope: SmtpEnvelope = {
              rcptTo: session.envelope.rcptTo.map((recipient) => recipient.address),
              smtpUtf8: !!(session.envelope as { smtpUtf8?: boolean }).smtpUtf8,
            };
            if (options.saveTo) {
              // Numbered as they arrive, not by what has been parsed so far: two messages that arrive
              // together on pooled connections must never share a name (one would overwrite the other).
              saved += 1;
              const name = `${Date.now()}-${String(saved).padStart(6, '0')}.eml`;
              // Its envelope beside it, written first: a reader that sees the message sees the envelope.
              writeFileSync(path.join(options.saveTo, `${name}.envelope.json`), JSON.stringify(envelope));
              // Written whole, then renamed: a reader never sees half a message.
              writeFileSync(path.join(options.saveTo, `${name}.tmp`), raw);
              renameSync(path.join(options.saveTo, `${name}.tmp`), path.join(options.saveTo, name));
            }
            simpleParser(raw).then(
              (parsed) => {
                const mail = toReceived(parsed, raw, envelope);
                if (sink.stallOn?.(mail)) {
                  sink.stalled.push(mail);
                  hanging.add(session.id);
                  sink.hungConnections += 1;
                  return;
                }
                received.push(mail);
                callback();
              },
              (error: Error) => callback(error),
            );
          });
        },
      });
      await new Promise<void>((resolve, reject) => {
        server!.once('error', reject);
        server!.listen(sink.port, '127.0.0.1', () => resolve());
      });
      const address = server.server.address();
      if (address && typeof address === 'object') sink.port = address.port;
      sink.url = `smtp://127.0.0.1:${sink.port}`;
    },
    async stop() {
      await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
      server = undefined;
    },
    async waitFor(predicate, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = received.find(predicate);
        if (found) return found;
        if (Date.now() > deadline) throw new Error(`no matching mail within ${timeoutMs} ms (${received.length} received)`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
  };
  await sink.start();
  return sink;
}
