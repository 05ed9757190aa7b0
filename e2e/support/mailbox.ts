// Reads the mail the e2e SMTP server received (saved by e2e/support/serve.ts), so specs
// follow links from delivered messages, never from the database.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import type { SmtpEnvelope } from '../../test/support/smtp-sink';
import { E2E_MAIL_DIR } from './env';

export type DeliveredMail = {
  file: string;
  /** Whom the server was asked to deliver it to, and whether with SMTPUTF8. */
  envelope: SmtpEnvelope;
  to: string[];
  subject: string;
  text: string;
  html: string;
  raw: string;
  /** Every http(s) link in the plain-text part, in order. */
  links: string[];
};

export type MailQuery = { to?: string; subjectIncludes?: string; textIncludes?: string };

/**
 * Parsed messages by file name. A message's file is written whole and renamed into place, never
 * changed after (test/support/smtp-sink.ts), so each is parsed once: parsing the whole mailbox on
 * every poll cost seconds of CPU late in the suite, slowing the server the specs wait on.
 */
const parsedByFile = new Map<string, Promise<DeliveredMail>>();

async function parse(file: string): Promise<DeliveredMail> {
  const raw = readFileSync(path.join(E2E_MAIL_DIR, file), 'utf8');
  const envelope = JSON.parse(readFileSync(path.join(E2E_MAIL_DIR, `${file}.envelope.json`), 'utf8')) as SmtpEnvelope;
  const parsed = await simpleParser(raw);
  const text = parsed.text ?? '';
  return {
    file,
    envelope,
    to: [parsed.to ?? []].flat().flatMap((a) => a.value.map((v) => (v.address ?? '').toLowerCase())),
    subject: parsed.subject ?? '',
    text,
    html: typeof parsed.html === 'string' ? parsed.html : '',
    raw,
    links: text.match(/https?:\/\/[^\s<>"]+/g) ?? [],
  };
}

async function readAll(): Promise<DeliveredMail[]> {
  let files: string[] = [];
  try {
    files = readdirSync(E2E_MAIL_DIR).filter((file) => file.endsWith('.eml')).sort();
  } catch {
    return [];
  }
  return Promise.all(
    files.map((file) => {
      let parsed = parsedByFile.get(file);
      if (!parsed) {
        parsed = parse(file);
        parsedByFile.set(file, parsed);
        parsed.catch(() => parsedByFile.delete(file));
      }
      return parsed;
    }),
  );
}

function matches(mail: DeliveredMail, query: MailQuery): boolean {
  return (
    (!query.to || mail.to.includes(query.to.toLowerCase())) &&
    (!query.subjectIncludes || mail.subject.includes(query.subjectIncludes)) &&
    (!query.textIncludes || mail.text.includes(query.textIncludes))
  );
}

/** Every delivered message that matches, oldest first. */
export async function findMail(query: MailQuery = {}): Promise<DeliveredMail[]> {
  return (await readAll()).filter((mail) => matches(mail, query));
}

/** Waits for the first delivered message that matches (the app's worker polls every 200 ms here). */
export async function waitForMail(query: MailQuery, timeoutMs = 20_000): Promise<DeliveredMail> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [found] = await findMail(query);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no mail matching ${JSON.stringify(query)} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
