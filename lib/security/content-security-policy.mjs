// @ts-check
// The Content-Security-Policy of every HTML answer, in one place. Plain JavaScript because the
// prerendered-page cache (prerendered-page-cache.mjs) is loaded by Next.js at run time, outside
// the bundler; proxy.ts and the Unavailable page import the same functions.
//
// Scripts run only from our own origin, or inline when the answer vouches for them:
// - a page rendered per request gets a fresh nonce (proxy.ts); Next.js reads it from the
//   request's policy and puts it on every script it emits;
// - a prerendered page is the same bytes for everyone (server.mjs even sends /help from memory),
//   so it carries the SHA-256 of each of its inline scripts instead, worked out from the HTML
//   it is stored with; ISR regenerations of /status get their own.
// Never 'unsafe-inline' for scripts: with it, any injected <script> would run.
import { createHash, randomBytes } from 'node:crypto';

export const CSP_HEADER = 'Content-Security-Policy';

/**
 * @param {string} scriptSources
 * @param {{ dev: boolean }} options
 */
function policy(scriptSources, { dev }) {
  return [
    "default-src 'self'",
    // React's dev build evaluates code to rebuild server stacks; never in production.
    `script-src 'self' ${scriptSources}${dev ? " 'unsafe-eval'" : ''}`,
    // Style attributes cannot carry a nonce or a hash, and React and Next.js write some (the
    // route announcer, the Unavailable page's <style>); a style cannot run script.
    "style-src 'self' 'unsafe-inline'",
    // The authenticator-app QR code is drawn on the server as a data: image; an image cannot run script.
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
  ].join('; ');
}

/** A fresh nonce: 128 random bits, base64. */
export function newNonce() {
  return randomBytes(16).toString('base64');
}

/**
 * @param {string} nonce
 * @param {{ dev: boolean }} options
 */
export function noncePolicy(nonce, options) {
  return policy(`'nonce-${nonce}'`, options);
}

const INLINE_SCRIPT = /<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi;
const HAS_SRC = /(?:^|\s)src\s*=/i;

/**
 * 'sha256-…' of every inline script in a page, as a browser computes it: over the element's
 * text, UTF-8, after HTML parsing has turned CR LF and lone CR into LF. Scripts with a src are
 * covered by 'self'; an empty inline script never runs.
 * @param {string} html
 * @returns {string[]}
 */
export function inlineScriptHashes(html) {
  const hashes = new Set();
  for (const [, attributes = '', text = ''] of html.matchAll(INLINE_SCRIPT)) {
    if (HAS_SRC.test(attributes) || text === '') continue;
    const digest = createHash('sha256').update(text.replace(/\r\n?/g, '\n'), 'utf8').digest('base64');
    hashes.add(`'sha256-${digest}'`);
  }
  return [...hashes];
}

/**
 * The policy of a page that is the same for everyone: its own inline scripts by hash.
 * @param {string} html
 * @param {{ dev: boolean }} options
 */
export function hashPolicy(html, options) {
  return policy(inlineScriptHashes(html).join(' '), options);
}
