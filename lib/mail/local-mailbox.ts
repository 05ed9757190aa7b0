import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { headers } from 'next/headers';
import { config, devMailboxEnabled } from '@/lib/config';
import { signingSecret } from '@/lib/crypto/keyring';
import { cameThroughAnUntoldProxy, clientIpFrom } from '@/lib/http/request-context';
import { isMailboxKey } from '@/lib/mail/mailbox-key.mjs';

// Reads the file transport's .eml files for the development mailbox page.
const ID_PATTERN = /^[a-z0-9]+$/;

function mailDir(): string {
  return path.resolve(config().MAIL_DIR);
}

/** 127.0.0.0/8 and ::1, also as IPv4-mapped IPv6: the machine itself. */
export function isLoopbackAddress(ip: string): boolean {
  const v4 = ip.startsWith('::ffff:') ? ip.slice('::ffff:'.length) : ip;
  return v4 === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}

/**
 * Whether a request's Host names the machine itself (localhost, a loopback address) or the portal.
 * A page of another site whose name its owner points at 127.0.0.1 (DNS rebinding) reaches this
 * server from a browser here, from a loopback address, but sends its own name.
 */
export function namesThisMachine(host: string | null): boolean {
  const name = host?.trim().toLowerCase().replace(/:\d*$/, '');
  if (!name) return false;
  return name === 'localhost' || name === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name) || name === new URL(config().APP_URL).hostname;
}

/**
 * Whether the mailbox answers the current request: only where it is switched on (devMailboxEnabled),
 * at an address holding its key (`npm run demo` prints it), and only to the machine itself, under a
 * name of its own, not through a proxy it was not told of (a proxy on this machine makes every client
 * come from here, review r31a). It holds every reset link, and the demo listens on every interface.
 * The key is what a relay that names no proxy cannot pass (review r32a): the rest cannot see one.
 */
export async function localMailboxOpenToThisRequest(key: string): Promise<boolean> {
  const bag = await headers();
  return (
    devMailboxEnabled() &&
    isMailboxKey(signingSecret(), key) &&
    isLoopbackAddress(clientIpFrom(bag)) &&
    namesThisMachine(bag.get('host')) &&
    !cameThroughAnUntoldProxy(bag)
  );
}

export type MailboxEntry = { id: string; to: string; subject: string; date: Date };

export async function listLocalMailbox(limit = 200): Promise<MailboxEntry[]> {
  let files: string[];
  try {
    files = readdirSync(mailDir()).filter((file) => file.endsWith('.eml'));
  } catch {
    return [];
  }
  const newest = files
    .map((file) => ({ file, mtime: statSync(path.join(mailDir(), file)).mtimeMs }))
    .sort((a, b) => b.mtime - a.mtime)
    .slice(0, limit);
  return Promise.all(
    newest.map(async ({ file, mtime }) => {
      const parsed = await simpleParser(readFileSync(path.join(mailDir(), file)));
      return {
        id: file.slice(0, -'.eml'.length),
        to: parsed.to ? [parsed.to].flat().map((a) => a.text).join(', ') : '',
        subject: parsed.subject ?? '(no subject)',
        date: parsed.date ?? new Date(mtime),
      };
    }),
  );
}

export async function readLocalMail(id: string) {
  if (!ID_PATTERN.test(id)) return null;
  let raw: Buffer;
  try {
    raw = readFileSync(path.join(mailDir(), `${id}.eml`));
  } catch {
    return null;
  }
  const parsed = await simpleParser(raw);
  return {
    to: parsed.to ? [parsed.to].flat().map((a) => a.text).join(', ') : '',
    from: parsed.from?.text ?? '',
    subject: parsed.subject ?? '(no subject)',
    date: parsed.date ?? null,
    text: parsed.text ?? '',
    headers: [...parsed.headers.keys()].filter((key) => key.startsWith('list-')).map((key) => `${key}: ${String(parsed.headers.get(key))}`),
  };
}
