import { describe, expect, it } from 'vitest';
import { detectBrowser } from './detect-browser';

// Real user-agent strings, as the browsers send them.
const AGENTS = {
  chromeWindows:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  chromeLinuxHeadless:
    'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/156.0.0.0 Safari/537.36',
  chromium: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chromium/120.0.0.0 Chrome/120.0.0.0 Safari/537.36',
  edgeWindows:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.2903.86',
  edgeLegacy:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/70.0.3538.102 Safari/537.36 Edge/18.19582',
  firefoxWindows: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0',
  firefoxMac: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14.7; rv:133.0) Gecko/20100101 Firefox/133.0',
  safariMac:
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15',
  safariIphone:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1',
  chromeIphone:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/131.0.6778.73 Mobile/15E148 Safari/604.1',
  chromeAndroid:
    'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36',
  samsungAndroid:
    'Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36',
  opera:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 OPR/115.0.0.0',
  curl: 'curl/8.5.0',
};

describe('detectBrowser', () => {
  it.each([
    ['Chrome on Windows', AGENTS.chromeWindows, 'chrome'],
    ['headless Chrome', AGENTS.chromeLinuxHeadless, 'chrome'],
    ['Chromium', AGENTS.chromium, 'chrome'],
    ['Edge', AGENTS.edgeWindows, 'edge'],
    ['legacy Edge', AGENTS.edgeLegacy, 'edge'],
    ['Firefox on Windows', AGENTS.firefoxWindows, 'firefox'],
    ['Firefox on a Mac', AGENTS.firefoxMac, 'firefox'],
    ['Safari on a Mac', AGENTS.safariMac, 'safari'],
    ['Safari on an iPhone', AGENTS.safariIphone, 'ios'],
    ['Chrome on an iPhone', AGENTS.chromeIphone, 'ios'],
    ['Chrome on Android', AGENTS.chromeAndroid, 'android'],
    ['Samsung Internet on Android', AGENTS.samsungAndroid, 'android'],
    ['Opera', AGENTS.opera, 'other'],
    ['a command-line client', AGENTS.curl, 'other'],
    ['an empty string', '', 'other'],
  ])('recognises %s', (_label, userAgent, expected) => {
    expect(detectBrowser(userAgent)).toBe(expected);
  });

  it('tells an iPad (which claims to be a Mac) from a Mac by its touch screen', () => {
    expect(detectBrowser(AGENTS.safariMac, { maxTouchPoints: 5 })).toBe('ios');
    expect(detectBrowser(AGENTS.safariMac, { maxTouchPoints: 0 })).toBe('safari');
  });
});
