import { z } from 'zod';

// Anything a browser might read differently from us is refused outright: controls (browsers
// strip tabs and newlines, so "/\t/evil.example" becomes "//evil.example"), backslashes (read as
// slashes), whitespace, and `;` (Next.js's client reads a redirect's path only up to it, so the
// same path would land elsewhere with JavaScript than without).
const UNSAFE_CHARACTERS = /[\u0000-\u0020\u007f-\u009f\\;\u00a0\u1680\u2000-\u200f\u2028-\u202f\u205f\u3000\ufeff]/;
/** Longer than any path of the portal; also the limit of what the forms carry back. */
const MAX_REDIRECT_LENGTH = 2048;

/** A form's callback field: one that is no path to continue to is dropped, never an error; the person goes home. */
export const callbackUrlField = z.string().max(MAX_REDIRECT_LENGTH).optional().catch(undefined);

/**
 * The path to send a person to after signing in: `value` resolved against the portal's own
 * origin, kept only when it stays on that origin, is a plain path, and lies under one of the
 * paths `within` (a path itself, or below it); otherwise `fallback`.
 */
export function safeRedirectPath(value: unknown, appUrl: string, fallback: string, within: readonly string[] = ['/']): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_REDIRECT_LENGTH) return fallback;
  if (!value.startsWith('/') || value.startsWith('//') || UNSAFE_CHARACTERS.test(value)) return fallback;
  let decoded: string;
  try {
    decoded = decodeURIComponent(value);
  } catch {
    return fallback;
  }
  // Encoded tricks ("/%2F%2Fevil.example", "/%5Cevil.example") must not survive one decoding either.
  if (decoded.startsWith('//') || UNSAFE_CHARACTERS.test(decoded)) return fallback;
  let url: URL;
  try {
    const base = new URL(appUrl);
    url = new URL(value, base);
    if (url.origin !== base.origin) return fallback;
  } catch {
    return fallback;
  }
  // The path as the server routes it, so that what is checked is what opens. Next.js decodes each
  // segment before routing ("/admin/audit/%65xport" is the export) and answers "/a//b" and "/a/b/"
  // with a redirect to "/a/b": what is checked, and sent, is "/a/b" with each segment decoded and
  // encoded again the one way. A segment that decodes to a slash or a dot segment is no page.
  let segments: string[];
  try {
    segments = url.pathname.split('/').map(decodeURIComponent);
  } catch {
    return fallback;
  }
  if (segments.some((segment) => segment.includes('/') || segment === '.' || segment === '..' || UNSAFE_CHARACTERS.test(segment))) return fallback;
  const pathname = segments
    .map(encodeURIComponent)
    .join('/')
    .replace(/\/{2,}/g, '/')
    .replace(/(.)\/$/, '$1');
  const path = `${pathname}${url.search}${url.hash}`;
  // Resolving percent-encodes what was typed raw ("é" is six characters after it): the length again.
  if (!path.startsWith('/') || path.length > MAX_REDIRECT_LENGTH) return fallback;
  return within.some((root) => root === '/' || pathname === root || pathname.startsWith(`${root}/`)) ? path : fallback;
}
