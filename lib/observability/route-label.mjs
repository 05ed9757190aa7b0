// The route a request path belongs to, as Next.js's build names it (`/reset/[token]`): the
// request-duration label. Raw paths would make every reset token a label value of its own;
// patterns from the build's routes manifest are a fixed, small set.
import { readFileSync } from 'node:fs';

/** @param {string} manifestPath the build's `.next/routes-manifest.json` */
export function createRouteLabeler(manifestPath) {
  /** @type {Set<string>} */
  let staticPages = new Set();
  /** @type {{ page: string; regex: RegExp }[]} */
  let dynamicPages = [];
  try {
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    staticPages = new Set(manifest.staticRoutes.map((route) => route.page));
    dynamicPages = manifest.dynamicRoutes.map((route) => ({ page: route.page, regex: new RegExp(route.regex) }));
  } catch {
    // No build yet (development before the first compile): every request is 'unmatched'.
  }
  return function routeLabel(url) {
    const pathname = url.split('?')[0] || '/';
    if (pathname.startsWith('/_next/static/')) return '/_next/static';
    if (pathname.startsWith('/_next/')) return '/_next';
    const trimmed = pathname.length > 1 ? pathname.replace(/\/$/, '') : pathname;
    if (staticPages.has(trimmed)) return trimmed;
    return dynamicPages.find(({ regex }) => regex.test(pathname))?.page ?? 'unmatched';
  };
}
