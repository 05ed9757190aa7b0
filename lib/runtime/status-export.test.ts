import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exportStatusPage, readSnapshot, writeSnapshot } from './status-export.mjs';

const APP_URL = 'https://help.example.com';
const TAKEN = new Date('2026-12-01T09:30:00Z');

const PAGE = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><link rel="stylesheet" href="/_next/static/css/a.css" nonce="abc" data-precedence="next"><link rel="preload" as="script" fetchPriority="low" href="/_next/static/chunks/x.js"><script src="/_next/static/chunks/x.js" async="" nonce="abc"></script><link rel="alternate" type="application/atom+xml" href="/status/feed.atom"></head><body><a class="skip-link" href="#main">Skip</a><nav><a href="/">Home</a></nav><main id="main"><h1>CareNotes status</h1><p>Write a nonce of trust</p><form action="" method="POST" encType="multipart/form-data"><input type="hidden" name="$ACTION_ID_1" value=""><input name="email"><button>Subscribe</button></form><p>Or follow the <a href="/status/feed.atom">Atom feed</a>. <a href="/help">Help</a> <a href="//evil.example/x">x</a></p></main><script nonce="abc">self.__next_f.push([1,"x"])</script></body></html>`;

describe('exportStatusPage', () => {
  const { html } = exportStatusPage({ html: PAGE, css: new Map([['/_next/static/css/a.css', 'body{color:red}</style><b>out</b>']]), appUrl: APP_URL, takenAt: TAKEN });

  it('leaves no script, nonce or script preload: a static host runs nothing', () => {
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/nonce="/);
    expect(html).not.toContain('as="script"');
  });

  it('inlines the stylesheet, unable to close its own element', () => {
    expect(html).toContain('<style>body{color:red}<\\/style><b>out</b></style>');
    expect(html.match(/<\/style>/g)).toHaveLength(1);
    expect(html).not.toContain('/_next/static/css/a.css');
  });

  it('links back to APP_URL absolutely, but to the feed beside it', () => {
    expect(html).toContain(`href="${APP_URL}/"`);
    expect(html).toContain(`href="${APP_URL}/help"`);
    expect(html).toContain('href="feed.atom"');
    expect(html).not.toContain('href="/status/feed.atom"');
    // A protocol-relative link is not ours to rewrite; in-page anchors stay in the page.
    expect(html).toContain('href="//evil.example/x"');
    expect(html).toContain('href="#main"');
  });

  it('turns the subscribe form (a server action) into a link to the live page', () => {
    expect(html).not.toMatch(/<form/i);
    expect(html).not.toContain('$ACTION_ID');
    expect(html).toContain(`href="${APP_URL}/status#subscribe"`);
  });

  it('says when it was taken, to people and to the instance that starts from it', () => {
    expect(html).toContain('<meta name="portal-snapshot-taken" content="2026-12-01T09:30:00.000Z">');
    expect(html).toContain('taken <time datetime="2026-12-01T09:30:00.000Z">2026-12-01 09:30 UTC</time>');
    expect(html).toContain('Write a nonce of trust');
  });
});

describe('writeSnapshot: instances sharing one folder', () => {
  let dir: string;
  const page = (takenAt: Date, text: string) => exportStatusPage({ html: `<html><head></head><body><main>${text}</main></body></html>`, css: new Map(), appUrl: APP_URL, takenAt }).html;
  const at = (minutes: number) => new Date(TAKEN.getTime() + minutes * 60_000);
  const now = TAKEN.getTime();
  const exported = (file: string) => readFileSync(path.join(dir, file), 'utf8');

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'portal-snapshot-test-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the first snapshot, page and feed, into a folder not there yet', () => {
    const folder = path.join(dir, 'status');
    expect(writeSnapshot(folder, { html: page(TAKEN, 'first'), feed: '<feed/>', takenAt: TAKEN, now })).toBe(true);
    expect(readSnapshot(folder)?.takenAt).toBe(TAKEN.toISOString());
    expect(readFileSync(path.join(folder, 'feed.atom'), 'utf8')).toBe('<feed/>');
    // What an instance started while the database is down sends as /status/feed.atom (review r51d F3).
    expect(readSnapshot(folder)?.feed?.toString('utf8')).toBe('<feed/>');
  });

  it('reads a page exported without its feed as a page with no feed', () => {
    writeSnapshot(dir, { html: page(TAKEN, 'alone'), takenAt: TAKEN, now });
    expect(readSnapshot(dir)).toMatchObject({ takenAt: TAKEN.toISOString(), feed: undefined });
  });

  it('replaces an earlier snapshot, and keeps the feed there when this one has none', () => {
    writeSnapshot(dir, { html: page(at(-5), 'earlier'), feed: '<feed>earlier</feed>', takenAt: at(-5), now });
    expect(writeSnapshot(dir, { html: page(TAKEN, 'later'), takenAt: TAKEN, now })).toBe(true);
    expect(exported('index.html')).toContain('later');
    expect(exported('feed.atom')).toBe('<feed>earlier</feed>');
  });

  it('leaves a snapshot another instance took later, page and feed', () => {
    writeSnapshot(dir, { html: page(at(0.5), 'taken later elsewhere'), feed: '<feed>later</feed>', takenAt: at(0.5), now });
    expect(writeSnapshot(dir, { html: page(TAKEN, 'this one'), feed: '<feed>this</feed>', takenAt: TAKEN, now })).toBe(false);
    expect(exported('index.html')).toContain('taken later elsewhere');
    expect(exported('feed.atom')).toBe('<feed>later</feed>');
  });

  it('does not believe a snapshot stamped more than a minute ahead of this clock', () => {
    writeSnapshot(dir, { html: page(at(90), 'from a clock far ahead'), takenAt: at(90), now });
    expect(writeSnapshot(dir, { html: page(TAKEN, 'this one'), takenAt: TAKEN, now })).toBe(true);
    expect(exported('index.html')).toContain('this one');
  });

  it('replaces a page that does not say when it was taken', () => {
    writeSnapshot(dir, { html: '<html><body>no stamp</body></html>', takenAt: at(0), now });
    expect(readSnapshot(dir)?.takenAt).toBe(new Date(0).toISOString());
    expect(writeSnapshot(dir, { html: page(TAKEN, 'stamped'), takenAt: TAKEN, now })).toBe(true);
  });
});
