import { describe, expect, it } from 'vitest';
import { browserKeyCookie, holdsBrowserKey, newBrowserKey } from './browser-key.mjs';

describe('the browser key in a Cookie header', () => {
  const key = newBrowserKey();

  it('is found by its name over http and https, and only well formed', () => {
    expect(holdsBrowserKey(`a=1; portal-browser=${key}; b=2`, false)).toBe(true);
    expect(holdsBrowserKey(`__Host-portal-browser=${key}`, true)).toBe(true);
    // Over https only the __Host- name counts: a sibling host can plant the plain one.
    expect(holdsBrowserKey(`portal-browser=${key}`, true)).toBe(false);
    expect(holdsBrowserKey(`portal-browser=${key.slice(1)}`, false)).toBe(false);
    expect(holdsBrowserKey(`xportal-browser=${key}`, false)).toBe(false);
    expect(holdsBrowserKey(undefined, false)).toBe(false);
  });

  it('is read as the sign-in reads it, the last of a name sent twice: a good one before junk is no key (review r45a F2)', () => {
    expect(holdsBrowserKey(`portal-browser=${key}; portal-browser=junk`, false)).toBe(false);
    expect(holdsBrowserKey(`portal-browser=junk; portal-browser=${key}`, false)).toBe(true);
  });

  it('is set HttpOnly, Lax, for the whole site, Secure over https', () => {
    expect(browserKeyCookie(false)).toMatch(/^portal-browser=[A-Za-z0-9_-]{22}; Path=\/; Max-Age=\d+; HttpOnly; SameSite=Lax$/);
    expect(browserKeyCookie(true)).toMatch(/^__Host-portal-browser=[A-Za-z0-9_-]{22}; Path=\/; Max-Age=\d+; HttpOnly; SameSite=Lax; Secure$/);
  });
});
