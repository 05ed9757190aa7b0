import { describe, expect, it } from 'vitest';
import { isEmbeddedByAnotherSite, isSecretLinkPage } from './secret-link-pages';

const headers = (values: Record<string, string>) => new Headers(values);

describe('secret link pages', () => {
  it('are the pages a mailed link opens, and only those', () => {
    for (const path of ['/reset/abc', '/super-admin-reset/cancel/abc', '/status/subscribe/confirm', '/status/stop-alerts']) expect(isSecretLinkPage(path), path).toBe(true);
    for (const path of ['/reset', '/reset/abc/more', '/status', '/status/subscribe', '/login', '/super-admin-reset']) expect(isSecretLinkPage(path), path).toBe(false);
  });

  it('open as a page of their own: a person following the link, typing it, or from the portal itself', () => {
    expect(isEmbeddedByAnotherSite(headers({ 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'document' }))).toBe(false);
    expect(isEmbeddedByAnotherSite(headers({ 'sec-fetch-site': 'none', 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'document' }))).toBe(false);
    expect(isEmbeddedByAnotherSite(headers({ 'sec-fetch-site': 'same-origin', 'sec-fetch-mode': 'cors', 'sec-fetch-dest': 'empty' }))).toBe(false);
    // Not a browser: it spends its own address's tries.
    expect(isEmbeddedByAnotherSite(headers({}))).toBe(false);
  });

  it('are refused inside another site’s page: images, frames, prefetches, scripts’ fetches', () => {
    for (const site of ['cross-site', 'same-site']) {
      for (const [mode, dest] of [['no-cors', 'image'], ['navigate', 'iframe'], ['no-cors', 'empty'], ['cors', 'empty'], ['no-cors', 'script']]) {
        expect(isEmbeddedByAnotherSite(headers({ 'sec-fetch-site': site, 'sec-fetch-mode': mode!, 'sec-fetch-dest': dest! })), `${site} ${mode} ${dest}`).toBe(true);
      }
    }
  });
});
