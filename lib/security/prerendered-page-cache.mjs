// @ts-check
// Next.js's own file-system cache of prerendered pages (next.config.js `cacheHandler`), with one
// addition: each page entry carries the Content-Security-Policy that allows exactly its inline
// scripts, by hash. Next.js sends an entry's headers with it, so the policy always matches the
// bytes it is sent with: pages built once (/help, which server.mjs then keeps in memory with
// these same headers), and each regeneration of an ISR page (/status). proxy.ts gives every
// other page a per-request nonce instead.
import fileSystemCacheModule from 'next/dist/server/lib/incremental-cache/file-system-cache.js';
import { CSP_HEADER, hashPolicy } from './content-security-policy.mjs';

// A CommonJS module with `exports.default`: Node.js hands ESM the whole `exports` object,
// Next.js's bundler (which compiles this file into the server) hands it `exports.default`.
/** @type {typeof fileSystemCacheModule.default} */
const FileSystemCache = typeof fileSystemCacheModule === 'function' ? fileSystemCacheModule : fileSystemCacheModule.default;
const HEADER = CSP_HEADER.toLowerCase();

/**
 * @param {any} value an incremental-cache entry's value
 * @param {boolean} dev
 */
function addPolicy(value, dev) {
  if (value?.kind !== 'APP_PAGE' || typeof value.html !== 'string') return;
  value.headers ??= {};
  value.headers[HEADER] ??= hashPolicy(value.html, { dev });
}

export default class PrerenderedPageCache extends FileSystemCache {
  /** @param {any} options */
  constructor(options) {
    super(options);
    this.dev = Boolean(options.dev);
  }

  /** @param {[any, any]} args */
  async get(...args) {
    const entry = await super.get(...args);
    // Pages written by `next build` come back from disk without it; kept in memory once added.
    addPolicy(entry?.value, this.dev);
    return entry;
  }

  /**
   * Before the entry is stored and before the answer that rendered it is sent (Next.js sends the
   * very object it stores), so a fresh render carries its policy too.
   * @param {any} key
   * @param {any} data
   * @param {any} ctx
   */
  async set(key, data, ctx) {
    addPolicy(data, this.dev);
    return super.set(key, data, ctx);
  }
}
