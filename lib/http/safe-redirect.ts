// Anything a browser might read differently from us is refused outright: controls (browsers
// strip tabs and newlines, so "/\t/evil.example" becomes "//evil.example"), backslashes (read as
// slashes) and whitespace.
const UNSAFE_CHARACTERS = /[\u0000-\u0020\u007f-\u009f\\\u00a0\u1680\u2000-\u200f\u2028-\u202f\u205f\u3000\ufeff]/;

/**
 * The path to send a person to after signing in: `value` resolved against the portal's own
 * origin, kept only when it stays on that origin and is a plain path; otherwise `fallback`.
 */
export function safeRedirectPath(value: unknown, appUrl: string, fallback: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 2048) return fallback;
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
  const path = `${url.pathname}${url.search}${url.hash}`;
  return path.startsWith('/') && !path.startsWith('//') ? path : fallback;
}
