/** The browsers the guide has cache-clearing instructions for; anything else is `other`. */
export type BrowserId = 'chrome' | 'edge' | 'firefox' | 'safari' | 'ios' | 'android' | 'other';

export type BrowserHints = {
  /** navigator.maxTouchPoints: iPadOS reports itself as a Mac, but a Mac has no touch screen. */
  maxTouchPoints?: number;
};

/**
 * Which browser's instructions to show first. The user-agent string is only a hint (it can
 * be changed), which is fine here: a wrong guess still leaves every browser's steps one tap away.
 * The platform wins over the browser on phones: every browser on an iPhone clears its data the
 * same way as Safari does, and Android's browsers share Chrome's menus.
 */
export function detectBrowser(userAgent: string, hints: BrowserHints = {}): BrowserId {
  const ua = userAgent;
  const iPadAsMac = /Macintosh/.test(ua) && (hints.maxTouchPoints ?? 0) > 1;
  if (/iPhone|iPad|iPod/.test(ua) || iPadAsMac) return 'ios';
  if (/Android/.test(ua)) return 'android';
  // Order matters: Edge and Opera also say "Chrome", and Chrome also says "Safari".
  if (/\bEdg(e|A|iOS)?\//.test(ua)) return 'edge';
  if (/\bOPR\/|\bOpera\b|SamsungBrowser|YaBrowser|Vivaldi/.test(ua)) return 'other';
  if (/\bFirefox\//.test(ua) && !/Seamonkey/i.test(ua)) return 'firefox';
  if (/(Chrome|Chromium)\//.test(ua)) return 'chrome';
  if (/\bSafari\//.test(ua) && /\bVersion\//.test(ua)) return 'safari';
  return 'other';
}
