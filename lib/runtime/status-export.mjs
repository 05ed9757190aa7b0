// @ts-check
// The status page as a static file for STATUS_EXPORT_DIR, which any static host on another
// origin can serve while the portal itself is down: no scripts (nothing there could run them
// under our policy, and the page reads fully without), the stylesheets inlined (the portal's
// own may be unreachable), every link absolute to APP_URL but the feed, which sits beside it,
// and the subscribe form (a server action, refused from another origin) turned into a link.
// Our own markup, rendered by our own page: matched by pattern, not parsed.
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { writeAtomically } from './write-atomically.mjs';

/** How far ahead of this clock another instance's snapshot may be stamped and still be taken as later. */
const SNAPSHOT_CLOCK_SKEW_MS = 60_000;
const TAKEN_AT = /<meta name="portal-snapshot-taken" content="([^"]+)"/;

/** @param {string} value */
function escapeHtml(value) {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** @param {Date} date */
function utc(date) {
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/**
 * @param {{ html: string; css: Map<string, string>; appUrl: string; takenAt: Date }} input
 * @returns {{ html: string }}
 */
export function exportStatusPage({ html, css, appUrl, takenAt }) {
  const origin = new URL(appUrl).origin;
  const live = `${origin}/status`;
  let page = html
    .replace(/<script\b[^>]*>[\s\S]*?<\/script\s*>/gi, '')
    .replace(/<link\b[^>]*\brel="(?:preload|modulepreload)"[^>]*>/gi, '')
    .replace(/<link\b[^>]*\brel="stylesheet"[^>]*\bhref="([^"]+)"[^>]*>/gi, (_tag, href) => {
      const sheet = css.get(href);
      // A stylesheet cannot close its own element early: "</style" is all it takes.
      return sheet === undefined ? '' : `<style>${sheet.replace(/<\/style/gi, '<\\/style')}</style>`;
    })
    .replace(/<form\b[\s\S]*?<\/form\s*>/gi, `<p><a href="${escapeHtml(live)}#subscribe">Subscribe to e-mail alerts on the live status page</a>.</p>`)
    .replace(/\s(?:nonce|integrity|crossorigin)="[^"]*"/gi, '')
    .replace(/\b(href)="\/status\/feed\.atom"/g, '$1="feed.atom"')
    .replace(/\b(href|src|action)="\/(?!\/)/g, `$1="${origin}/`);
  const taken = takenAt.toISOString();
  page = page.replace(/<head>/i, `<head><meta name="portal-snapshot-taken" content="${taken}">`);
  page = page.replace(
    /(<main\b[^>]*>)/i,
    `$1<p class="notice">A copy of the CareNotes status page, taken <time datetime="${taken}">${utc(takenAt)}</time>. The live page is at <a href="${escapeHtml(live)}">${escapeHtml(live)}</a>.</p>`,
  );
  return { html: page };
}

/**
 * The exported page in `dir`, if there is one, when it was taken (the epoch when it does not say), and
 * the feed beside it, if there is one.
 * @param {string} dir
 */
export function readSnapshot(dir) {
  try {
    const body = readFileSync(path.join(dir, 'index.html'));
    const takenAt = TAKEN_AT.exec(body.toString('utf8'))?.[1] ?? new Date(0).toISOString();
    return { body, takenAt, feed: readIfThere(path.join(dir, 'feed.atom')) };
  } catch {
    return undefined;
  }
}

/** @param {string} file */
function readIfThere(file) {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

/**
 * Writes an exported page (and its feed, when there is one) to `dir`, each file whole. Instances may share
 * the folder: a snapshot another took later stands, as far as the clocks agree (one stamped ahead of this
 * clock by more than a skew, say a folder copied from elsewhere, is not taken as later).
 * @param {string} dir
 * @param {{ html: string; feed?: Buffer | string; takenAt: Date; now?: number }} snapshot
 * @returns {boolean} whether it was written
 */
export function writeSnapshot(dir, { html, feed, takenAt, now = Date.now() }) {
  const there = Date.parse(readSnapshot(dir)?.takenAt ?? '');
  if (there > takenAt.getTime() && there <= now + SNAPSHOT_CLOCK_SKEW_MS) return false;
  mkdirSync(dir, { recursive: true });
  writeAtomically(path.join(dir, 'index.html'), html);
  if (feed !== undefined) writeAtomically(path.join(dir, 'feed.atom'), feed);
  return true;
}
