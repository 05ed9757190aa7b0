// @ts-check
// Pages that are the same for everyone, sent by server.mjs from memory without the per-request
// page machinery of Next.js (about 2–10 ms of CPU each through Next.js, ~0.05 ms from here).
// These are the pages everyone opens at once when sign-in breaks: the guide, home, status and sign-in.
//
// - Prerendered pages (/help, /): Next.js's own answer, fetched from this instance once at start,
//   kept only when it is a page built once and never revalidated.
// - Live pages (/status, /login, /vendor/login, /api/status, which every open guide asks once, and
//   the status feed): rendered per request by Next.js, fetched again from this instance when the
//   database says the status changed (a version row bumped by triggers, polled twice a second on
//   every instance), after a change on this instance, and at least every minute (the clock moves
//   the uptime bars). While a render of /status fails (the database is down) the last
//   copy is kept and sent; each good render is also written to STATUS_EXPORT_DIR as a static page
//   and feed, which a fresh instance also starts from when it cannot render.
//
// Only GET and HEAD of the exact path (/status: any query string, which it ignores; the sign-in pages:
// none, a callbackUrl is rendered into the form, a signed-out notice above it), never a client-side
// navigation (RSC request): those go to Next.js. Of these pages only /login is closed during maintenance
// (lib/maintenance/maintenance-gate.ts): its copy is dropped while a render is refused, a copy
// announcing a window is not sent from the window's start, and the copy is set aside as soon as the
// instance's maintenance lookup sees a window start or end, so skipping proxy.ts changes nothing.
import { createHash, randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { promisify } from 'node:util';
import { gzip as gzipCallback } from 'node:zlib';
import { errorFields, logger } from '../observability/logger.mjs';
import { CSP_HEADER, hashPolicy } from '../security/content-security-policy.mjs';
import { cacheControlOnTheWire, KEPT_FOR_THE_BUILD, securityHeadersFor } from '../security/headers.mjs';
import { COPY_UNTIL_ATTRIBUTE, COPY_UNTIL_HEADER } from './copy-until.mjs';
import { replaceAnswer } from './replace-answer.mjs';
import { exportStatusPage, readSnapshot, writeSnapshot } from './status-export.mjs';

const gzip = promisify(gzipCallback);

export const FROM_MEMORY_HEADER = 'X-Portal-From-Memory';
/** When a live page sent from memory was rendered (ISO 8601): how fresh a snapshot is. */
export const RENDERED_AT_HEADER = 'X-Portal-Rendered-At';
// Marks this instance's own fetches, which must reach Next.js: a random key per process, so a
// client sending the header still gets the copy from memory.
const RENDER_HEADER = 'x-portal-render';
const ROUTER_HEADERS = ['rsc', 'next-router-prefetch', 'next-router-state-tree', 'next-router-segment-prefetch', 'next-action'];
const HOP_HEADERS = new Set(['connection', 'keep-alive', 'transfer-encoding', 'date', 'content-length', 'content-encoding', 'x-request-id', 'set-cookie']);
// Headers of a page rendered per request that do not hold for a copy sent to everyone.
const PER_REQUEST_HEADERS = new Set(['cache-control', 'etag', CSP_HEADER.toLowerCase(), COPY_UNTIL_HEADER.toLowerCase(), 'x-nextjs-cache', 'x-nextjs-prerender', 'x-nextjs-stale-time']);
// What a live page's render must be: a page, or the JSON or Atom feed of a route kept the same way.
const LIVE_TYPES = { html: /^text\/html\b/i, json: /^application\/json\b/i, atom: /^application\/atom\+xml\b/i };
/** The type a copy started from STATUS_EXPORT_DIR is sent as (a page or its feed). */
const STARTING_COPY_TYPE = { html: 'text/html; charset=utf-8', json: 'application/json', atom: 'application/atom+xml; charset=utf-8' };
/** How often a live page asks whether the status changed (one version check for all of them). */
export const POLL_MS = 500;
// While the version cannot be read (the database away), it is asked ever less often, up to this.
const VERSION_BACKOFF_MAX_MS = 10_000;
// An address no page has, and the mark of the empty shell Next.js renders a page's notFound() into.
export const NO_SUCH_PAGE = '/_portal/no-such-page';
const EMPTY_SHELL = 'id="__next_error__"';
// The headers of the kept not-found page that describe its bytes (and its scripts' policy).
const COPY_HEADERS = ['content-type', 'content-length', 'content-encoding', 'vary', 'cache-control', CSP_HEADER.toLowerCase(), FROM_MEMORY_HEADER.toLowerCase()];
const LIVE_MAX_AGE_MS = 60_000;
// The app calls this (lib/runtime/live-page-changed.mjs) after a change it made: the bundle
// Next.js runs and this module are separate module instances, so they meet on globalThis.
const CHANGED_HOOK = Symbol.for('portal.livePageChanged');

/**
 * @typedef {{ headers: [string, string][]; etag: string | undefined; body: Buffer; gzipped: Buffer; renderedAt?: string; goodUntil?: number; head: { notModified: Record<string, string>; identity: Record<string, string>; gzipped: Record<string, string> } }} Page
 * @typedef {{ status: number; headers: import('node:http').IncomingHttpHeaders; rawHeaders: string[]; body: Buffer }} Fetched
 */

/**
 * The head of each answer, built once per page rather than per request: a page's headers (a name
 * that comes twice is joined, as HTTP allows; no Set-Cookie is ever kept), the security headers of
 * every answer where the page has none of its own, the mark, and the length.
 * @param {Omit<Page, 'head'>} page
 * @param {Readonly<Record<string, string>>} securityHeaders
 * @returns {Page}
 */
function withHead(page, securityHeaders) {
  /** @type {Record<string, string>} */
  const common = {};
  for (const [name, value] of page.headers) {
    const key = name.toLowerCase();
    common[key] = key in common ? `${common[key]}, ${value}` : value;
  }
  // Sent before server.mjs completes an answer's head, so each copy carries them itself: a copy started
  // from STATUS_EXPORT_DIR has no render to take them from, and went out without them (review r55b F1).
  for (const [name, value] of Object.entries(securityHeaders)) common[name.toLowerCase()] ??= value;
  common[FROM_MEMORY_HEADER.toLowerCase()] = '1';
  return {
    ...page,
    head: {
      notModified: common,
      identity: { ...common, 'content-length': String(page.body.length) },
      gzipped: { ...common, 'content-encoding': 'gzip', 'content-length': String(page.gzipped.length) },
    },
  };
}

/**
 * @param {{ host: string; port: number; dev: boolean; appUrl: string; exportDir?: string; log?: Pick<import('pino').Logger, 'warn'> }} options
 */
export function createPagesInMemory({ host, port, dev, appUrl, exportDir, log = logger }) {
  const renderKey = randomBytes(16).toString('hex');
  const securityHeaders = securityHeadersFor(appUrl);
  /** @type {Map<string, Page>} */
  const exact = new Map();
  /** @typedef {{ page: Page | undefined; stale: boolean; setAside: () => void; query: 'ignored' | 'none'; versionPath: string; refresh: () => Promise<void>; outOfDate: () => void }} LiveEntry */
  /** @type {Map<string, LiveEntry>} */
  const live = new Map();
  /** @type {NodeJS.Timeout[]} */
  const timers = [];

  /** @type {Map<string, { nextAt: number; inFlight: boolean; failures: number; version: Promise<unknown> }>} */
  const versionChecks = new Map();

  /**
   * The version every page drawn from `versionPath` compares with: one fetch for all of them, at most
   * about once per POLL_MS and never two at once, and after each failure in a row half as often, up to
   * VERSION_BACKOFF_MAX_MS. Each live page asked for itself twice a second, and with the database away
   * each failed answer logged an error with its stack: eight a second (review r34g F7, r34h L3).
   * Undefined when it cannot be read.
   * @param {string} versionPath
   */
  function currentVersion(versionPath) {
    const started = Date.now();
    const last = versionChecks.get(versionPath);
    if (last && (last.inFlight || started < last.nextAt)) return last.version;
    const check = { nextAt: 0, inFlight: true, failures: last?.failures ?? 0, version: Promise.resolve(/** @type {unknown} */ (undefined)) };
    check.version = fetchOwn(versionPath)
      .then((answer) => {
        if (answer.status !== 200) throw new Error(`${versionPath} answered ${answer.status}`);
        check.failures = 0;
        // The pages' ticks come every POLL_MS, each at its own moment: the first due one asks again.
        check.nextAt = started + POLL_MS - 50;
        return /** @type {unknown} */ (JSON.parse(answer.body.toString('utf8')).version);
      })
      .catch(() => {
        // This instance is not answering yet, is stopping, or its database is away.
        check.failures += 1;
        check.nextAt = Date.now() + Math.min(POLL_MS * 2 ** check.failures, VERSION_BACKOFF_MAX_MS);
        return undefined;
      })
      .finally(() => {
        check.inFlight = false;
      });
    versionChecks.set(versionPath, check);
    return check.version;
  }

  /** @param {string} pathname @returns {Promise<Fetched>} */
  function fetchOwn(pathname) {
    return new Promise((resolve, reject) => {
      const fetched = httpRequest({ host, port, path: pathname, headers: { 'accept-encoding': 'identity', [RENDER_HEADER]: renderKey } }, (answer) => {
        /** @type {Buffer[]} */
        const chunks = [];
        answer.on('data', (chunk) => chunks.push(chunk));
        answer.on('error', reject);
        answer.on('end', () => resolve({ status: answer.statusCode ?? 0, headers: answer.headers, rawHeaders: answer.rawHeaders, body: Buffer.concat(chunks) }));
      });
      fetched.setTimeout(10_000, () => fetched.destroy(new Error(`${pathname} took over 10 s`)));
      fetched.on('error', reject);
      fetched.end();
    });
  }

  /** @param {Fetched} answer @param {Set<string>} drop */
  function keptHeaders(answer, drop) {
    /** @type {[string, string][]} */
    const headers = [];
    for (let i = 0; i < answer.rawHeaders.length; i += 2) {
      const name = answer.rawHeaders[i] ?? '';
      if (!HOP_HEADERS.has(name.toLowerCase()) && !drop.has(name.toLowerCase())) headers.push([name, answer.rawHeaders[i + 1] ?? '']);
    }
    // Sent gzipped or not by the request's Accept-Encoding: caches must know.
    const vary = headers.find(([name]) => name.toLowerCase() === 'vary');
    if (!vary) headers.push(['Vary', 'Accept-Encoding']);
    else if (!/\baccept-encoding\b/i.test(vary[1])) vary[1] += ', Accept-Encoding';
    return headers;
  }

  /** Keeps Next.js's own answer for a page, if it is a prerendered one that never revalidates. @param {string} pathname */
  async function keepPrerendered(pathname) {
    try {
      const answer = await fetchOwn(pathname);
      const cacheControl = String(answer.headers['cache-control'] ?? '');
      // Next.js marks a page built once and never revalidated with that mark alone;
      // an answer that sets a cookie is someone's, not everyone's.
      const sameForEveryone = answer.headers['x-nextjs-prerender'] && cacheControl === KEPT_FOR_THE_BUILD && !answer.headers['set-cookie'];
      if (answer.status !== 200 || !sameForEveryone) {
        log.warn({ event: 'server.page_not_kept_in_memory', pathname, status: answer.status, cacheControl });
        return;
      }
      const etag = typeof answer.headers.etag === 'string' ? answer.headers.etag : undefined;
      const headers = keptHeaders(answer, new Set(['cache-control']));
      headers.push(['Cache-Control', cacheControlOnTheWire(cacheControl)]);
      exact.set(pathname, withHead({ headers, etag, body: answer.body, gzipped: await gzip(answer.body) }, securityHeaders));
    } catch (error) {
      log.warn({ event: 'server.page_not_kept_in_memory', pathname, ...errorFields(error) });
    }
  }

  /** @type {Page | undefined} */
  let notFound;

  /**
   * Keeps the page Next.js answers an address nobody has with: the not-found page, server-rendered.
   * A page's own notFound() gets from Next.js only an empty shell whose content is in its scripts
   * (Next.js #62228), blank without JavaScript: `answerNotFound` sends this copy in its place.
   */
  async function keepNotFound(attempt = 1) {
    // Tried again a while later (a busy start, a maintenance window), for an hour.
    const later = () => attempt < 60 && timers.push(setTimeout(() => void keepNotFound(attempt + 1), 60_000).unref());
    try {
      const answer = await fetchOwn(NO_SUCH_PAGE);
      const html = answer.body.toString('utf8');
      if (answer.status !== 404 || !/^text\/html\b/i.test(String(answer.headers['content-type'] ?? '')) || html.includes(EMPTY_SHELL)) {
        log.warn({ event: 'server.page_not_kept_in_memory', pathname: NO_SUCH_PAGE, status: answer.status });
        later();
        return;
      }
      const headers = keptHeaders(answer, PER_REQUEST_HEADERS);
      headers.push([CSP_HEADER, hashPolicy(html, { dev })], ['Cache-Control', 'no-store']);
      notFound = withHead({ headers, etag: undefined, body: answer.body, gzipped: await gzip(answer.body) }, securityHeaders);
    } catch (error) {
      log.warn({ event: 'server.page_not_kept_in_memory', pathname: NO_SUCH_PAGE, ...errorFields(error) });
      later();
    }
  }

  /**
   * Sends the kept not-found page instead of the 404 Next.js is writing for a page request, once
   * its head is being written (see replaceAnswer; call before Next.js gets `response`). A form posted
   * without JavaScript is a page request too: its page may be one the poster may not open, or be gone.
   * Requests of the client-side router (an RSC payload, not a page; an action called with JavaScript)
   * and the fetch of the copy itself are left alone.
   * @param {import('node:http').IncomingMessage} request @param {import('node:http').ServerResponse} response
   */
  function answerNotFound(request, response) {
    if (!['GET', 'HEAD', 'POST'].includes(request.method ?? '') || request.headers[RENDER_HEADER] === renderKey) return;
    if (ROUTER_HEADERS.some((name) => name in request.headers)) return;
    replaceAnswer(response, (status) => {
      if (status !== 404 || !notFound || !/^text\/html\b/i.test(String(response.getHeader('content-type') ?? ''))) return undefined;
      // Only what describes the copy's bytes comes from the copy; every other header is this answer's.
      const gzipped = acceptsGzip(request);
      const head = gzipped ? notFound.head.gzipped : notFound.head.identity;
      for (const name of ['etag', ...COPY_HEADERS]) response.removeHeader(name);
      for (const name of COPY_HEADERS) if (head[name] !== undefined) response.setHeader(name, head[name]);
      return gzipped ? notFound.gzipped : notFound.body;
    });
  }

  /**
   * A copy of a page Next.js renders per request, for everyone: its scripts allowed by hash (the
   * nonce Next.js stamped on them is in no policy this copy is sent with), revalidated by ETag.
   * A route's answer (JSON, a feed) keeps its own Cache-Control (no-store for what is polled).
   * @param {Buffer} body @param {Fetched} answer @param {string} renderedAt @param {keyof typeof LIVE_TYPES} type
   */
  async function livePage(body, answer, renderedAt, type = 'html') {
    const text = body.toString('utf8');
    const headers = keptHeaders(answer, PER_REQUEST_HEADERS);
    if (type === 'html') headers.push([CSP_HEADER, hashPolicy(text, { dev })], ['Cache-Control', 'no-cache']);
    else headers.push(['Cache-Control', String(answer.headers['cache-control'] ?? 'no-store')]);
    headers.push([RENDERED_AT_HEADER, renderedAt]);
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
    headers.push(['ETag', etag]);
    const goodUntil = earliest([...(type === 'html' ? copyUntilMarks(text) : []), String(answer.headers[COPY_UNTIL_HEADER.toLowerCase()] ?? '')]);
    return withHead({ headers, etag, body, gzipped: await gzip(body), renderedAt, goodUntil }, securityHeaders);
  }

  /**
   * @param {string} pathname
   * @param {{ versionPath: string; feedPath?: string; exported?: 'page' | 'feed'; query?: 'ignored' | 'none'; onFailure?: 'keep' | 'drop'; settleMs?: number; type?: keyof typeof LIVE_TYPES }} options
   * `exported`: `page`, the page written to (and started from) STATUS_EXPORT_DIR, with its feed (`feedPath`);
   * `feed`, that feed, started from the copy written beside the page (review r51d F3).
   * `query: 'none'`: only the bare path gets the copy (the page reads its query string).
   * `onFailure: 'drop'`: when a render is refused (a window that blocks the page), Next.js answers
   * until a render succeeds again, instead of the last copy being sent.
   * `settleMs`: after a change, render once more this much later (the page keeps what it reads for
   * that long, so the render right after a change may still show the state before it).
   * `type`: a route's answer (`json`, `atom`) rather than a page.
   * A copy stops being sent at the moment its render marked (lib/runtime/copy-until.mjs): until the
   * next render is in, Next.js answers. When that render fails, `onFailure` decides as above; a copy
   * kept so is sent on with no such moment (it is the last state known).
   */
  function keepLive(pathname, { versionPath, feedPath, exported, query = 'ignored', onFailure = 'keep', settleMs, type = 'html' }) {
    // How often the copy was set aside: a render under way meanwhile may show the state before.
    let setAsides = 0;
    /** @type {LiveEntry} */
    const entry = {
      page: undefined,
      stale: false,
      // Until a render that starts after this is in, Next.js answers (see tick()).
      setAside() {
        entry.stale = true;
        setAsides += 1;
      },
      query,
      versionPath,
      refresh: () =>
        new Promise((resolve) => {
          waitingForNextRender.push(resolve);
          void tick(true);
        }),
      outOfDate() {
        if (onFailure === 'drop') entry.page = undefined;
        entry.setAside();
        void entry.refresh();
      },
    };
    live.set(pathname, entry);
    /** @type {unknown} */
    let seenVersion;
    let renderedAtMs = 0;
    let busy = false;
    let again = false;
    /** Settled when a render that starts after they asked has ended, however it ended. @type {(() => void)[]} */
    let waitingForNextRender = [];

    const exportTo = exported === 'page' ? exportDir : undefined;
    const snapshot = exported && exportDir ? readSnapshot(exportDir) : undefined;
    const startingCopy = exported === 'feed' ? snapshot?.feed : snapshot?.body;
    if (snapshot && startingCopy) {
      // Until the first render (or while the database is down from the start): the last export.
      const answer = { status: 200, headers: {}, rawHeaders: ['Content-Type', STARTING_COPY_TYPE[type]], body: startingCopy };
      void livePage(startingCopy, answer, snapshot.takenAt, type).then((page) => {
        entry.page ??= page;
      });
    }

    /** @param {boolean} force */
    async function tick(force) {
      if (busy) {
        again ||= force;
        return;
      }
      busy = true;
      const waiting = waitingForNextRender;
      waitingForNextRender = [];
      try {
        const version = await currentVersion(versionPath);
        const due = force || entry.stale || Date.now() - renderedAtMs >= LIVE_MAX_AGE_MS;
        if (version === undefined ? !due : !due && version === seenVersion) return;
        // Read before rendering: a change that lands during the render moves it again.
        const rendering = version;
        const renderedAt = new Date();
        renderedAtMs = renderedAt.getTime();
        const setAsidesBefore = setAsides;
        const answer = await fetchOwn(pathname);
        if (answer.status !== 200 || !LIVE_TYPES[type].test(String(answer.headers['content-type'] ?? ''))) {
          if (onFailure === 'drop') {
            // No copy to send: rendered again on the next change, not on every poll while refused.
            entry.page = undefined;
            entry.stale = false;
            seenVersion = rendering;
            return;
          }
          log.warn({ event: 'server.page_rerender_failed', pathname, status: answer.status, servingCopyFrom: entry.page?.renderedAt ?? null });
          keepLastCopy();
          return;
        }
        entry.page = await livePage(answer.body, answer, renderedAt.toISOString(), type);
        // Set aside while this render was under way (the next one is asked for): it may predate the
        // change, and who made or saw the change must not get it back (the maintenance e2e did).
        entry.stale = setAsides !== setAsidesBefore;
        if (settleMs !== undefined && seenVersion !== undefined && rendering !== seenVersion) {
          setTimeout(() => void tick(true), settleMs).unref();
        }
        seenVersion = rendering;
        // The copy served from memory is good whatever becomes of its export: a failed export is only logged.
        if (exportTo) {
          await exportSnapshot(exportTo, answer.body, feedPath, renderedAt).catch((error) =>
            log.warn({ event: 'server.status_export_failed', pathname, dir: exportTo, ...errorFields(error) }),
          );
        }
      } catch (error) {
        log.warn({ event: 'server.page_rerender_failed', pathname, servingCopyFrom: entry.page?.renderedAt ?? null, ...errorFields(error) });
        if (onFailure === 'keep') keepLastCopy();
      } finally {
        busy = false;
        for (const settle of waiting) settle();
        if (again) {
          again = false;
          void tick(true);
        }
      }
    }

    /** A render failed (the database is down): the last copy is sent again, past any moment it marked. */
    function keepLastCopy() {
      entry.stale = false;
      if (entry.page?.goodUntil !== undefined) entry.page = { ...entry.page, goodUntil: undefined };
    }

    /**
     * @param {string} dir @param {Buffer} body @param {string | undefined} feed @param {Date} takenAt
     */
    async function exportSnapshot(dir, body, feed, takenAt) {
      const feedAnswer = feed ? await fetchOwn(feed) : undefined;
      const css = new Map();
      for (const href of body.toString('utf8').matchAll(/<link\b[^>]*\brel="stylesheet"[^>]*\bhref="(\/[^"]+)"/g)) {
        const sheet = await fetchOwn(href[1] ?? '');
        if (sheet.status === 200) css.set(href[1], sheet.body.toString('utf8'));
      }
      const { html } = exportStatusPage({ html: body.toString('utf8'), css, appUrl, takenAt });
      writeSnapshot(dir, { html, feed: feedAnswer?.status === 200 ? feedAnswer.body : undefined, takenAt });
    }

    timers.push(setInterval(() => void tick(false), POLL_MS).unref());
    void tick(true);
  }

  /**
   * @param {NonNullable<import('node:http').IncomingMessage>} request @param {import('node:http').ServerResponse} response
   * @param {Record<string, string>} [ownHeaders] headers of this answer alone, over the copy's (a cookie for this browser)
   */
  function answer(request, response, ownHeaders) {
    if (request.method !== 'GET' && request.method !== 'HEAD') return false;
    if (request.headers[RENDER_HEADER] === renderKey) return false;
    if (ROUTER_HEADERS.some((name) => name in request.headers)) return false;
    const url = request.url ?? '';
    let page = exact.get(url);
    if (!page) {
      const [pathname = '', search] = url.split('?');
      const entry = live.get(pathname);
      if (entry && !entry.stale && (entry.query === 'ignored' || search === undefined)) page = entry.page;
      // A copy is good until the first moment it marked (a maintenance window starting or ending).
      if (page?.goodUntil !== undefined && Date.now() >= page.goodUntil) {
        /** @type {LiveEntry} */ (entry).outOfDate();
        page = undefined;
      }
    }
    if (!page) return false;
    const withOwn = (/** @type {Record<string, string>} */ head) => (ownHeaders ? { ...head, ...ownHeaders } : head);
    if (page.etag && request.headers['if-none-match'] === page.etag) {
      response.writeHead(304, withOwn(page.head.notModified)).end();
      return true;
    }
    const gzipped = acceptsGzip(request);
    response.writeHead(200, withOwn(gzipped ? page.head.gzipped : page.head.identity)).end(request.method === 'HEAD' ? undefined : gzipped ? page.gzipped : page.body);
    return true;
  }

  /** Settled once the pages it set aside are rendered again (or failed to be). @type {(pathname: string) => Promise<unknown>} */
  const changed = (pathname) => {
    const versionPath = live.get(pathname)?.versionPath;
    const renders = [];
    // Every page drawn from the same tables (one version) changed with it.
    for (const entry of live.values()) {
      if (entry.versionPath !== versionPath) continue;
      // Until the new copy is in, Next.js answers: whoever made the change sees it at once.
      entry.setAside();
      renders.push(entry.refresh());
    }
    return Promise.all(renders);
  };
  /** @type {Record<symbol, unknown>} */ (globalThis)[CHANGED_HOOK] = changed;

  return {
    answer,
    /** This instance's own fetch of a page (not a client's): the access log marks it. @param {import('node:http').IncomingMessage} request */
    isOwnFetch: (request) => request.headers[RENDER_HEADER] === renderKey,
    keepPrerendered,
    keepNotFound,
    answerNotFound,
    keepLive,
    stop() {
      for (const timer of timers) clearInterval(timer);
    },
  };
}

/** The moments a page marked with COPY_UNTIL_ATTRIBUTE. @param {string} html */
function copyUntilMarks(html) {
  return [...html.matchAll(new RegExp(`\\b${COPY_UNTIL_ATTRIBUTE}="([^"]+)"`, 'g'))].map((match) => match[1] ?? '');
}

/** The earliest of these ISO 8601 moments, as milliseconds; undefined when none is one. @param {string[]} moments */
function earliest(moments) {
  const times = moments.map((moment) => Date.parse(moment)).filter(Number.isFinite);
  return times.length ? Math.min(...times) : undefined;
}

/** @param {import('node:http').IncomingMessage} request */
function acceptsGzip(request) {
  return /\bgzip\b(?!\s*;\s*q\s*=\s*0(\.0*)?\s*(,|$))/i.test(String(request.headers['accept-encoding'] ?? ''));
}
