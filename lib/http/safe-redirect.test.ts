import { describe, expect, it } from 'vitest';
import { safeRedirectPath } from '@/lib/http/safe-redirect';

const APP = 'https://help.example.com';
const FALLBACK = '/account';
const resolve = (value: unknown) => safeRedirectPath(value, APP, FALLBACK);

describe('safeRedirectPath', () => {
  it.each([
    ['/admin', '/admin'],
    ['/admin/users/abc?filter=locked#list', '/admin/users/abc?filter=locked#list'],
    ['/status', '/status'],
    ['/a/../admin', '/admin'],
    // As the server routes it: Next.js redirects repeated and trailing slashes to the plain path.
    ['/admin//users///abc/?x=1', '/admin/users/abc?x=1'],
    ['/admin/', '/admin'],
    ['/', '/'],
    // As the server routes it: each segment decoded ("%65" is "e"), and sent encoded the one way.
    ['/%61dmin/audit/%65xport', '/admin/audit/export'],
    ['/admin/users/a%2bb%3F', '/admin/users/a%2Bb%3F'],
  ])('keeps the plain path %s', (value, expected) => {
    expect(resolve(value)).toBe(expected);
  });

  it.each([
    // absolute and scheme tricks
    'https://evil.example/',
    'http://help.example.com/admin',
    'https://help.example.com.evil.example/',
    'https://help.example.com@evil.example/',
    'javascript:alert(1)',
    'JaVaScRiPt:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'vbscript:msgbox(1)',
    // protocol-relative and backslashes
    '//evil.example',
    '///evil.example',
    '/\\evil.example',
    '\\\\evil.example',
    '/\\/evil.example',
    '\\/evil.example',
    // control characters and whitespace a browser strips or rewrites
    '/\t/evil.example',
    '/\n/evil.example',
    '/\r/evil.example',
    '/\u0000/evil.example',
    ' //evil.example',
    '/ /evil.example',
    '/\u00a0/evil.example',
    '/\u2028/evil.example',
    '/\ufeff/evil.example',
    // percent-encoding
    '/%2F%2Fevil.example',
    '/%2f/evil.example',
    '/%5Cevil.example',
    '/%5c%5cevil.example',
    '/%09/evil.example',
    '/%0a/evil.example',
    '/%E0%A4%A',
    // a segment that decodes to a slash, or to a character refused raw
    '/admin/a%2Fb',
    '/admin/%5C',
    '/admin/%3B',
    '%2F%2Fevil.example',
    // look-alike hosts and odd inputs
    'evil.example',
    '@evil.example',
    // Next.js's client reads a redirect's path only up to ";": it would land elsewhere with JavaScript
    '/;//evil.example',
    '/admin;x',
    '/admin?a=1;2',
    '',
    'x'.repeat(3000),
    `/${'a'.repeat(3000)}`,
  ])('refuses %j', (value) => {
    expect(resolve(value)).toBe(FALLBACK);
  });

  it('refuses a path that grows past the limit once resolved (characters typed raw are percent-encoded)', () => {
    expect(resolve(`/${'é'.repeat(400)}`)).toBe(FALLBACK);
    expect(resolve(`/${'"'.repeat(700)}`)).toBe(FALLBACK);
    expect(resolve(`/${'é'.repeat(300)}`)).toBe(`/${'%C3%A9'.repeat(300)}`);
  });

  it('keeps only paths under the ones it is given, each a path itself or below it', () => {
    const within = ['/account', '/admin'];
    for (const kept of ['/account', '/account/security', '/admin?page=2', '/admin/users/abc#x']) {
      expect(safeRedirectPath(kept, APP, FALLBACK, within), kept).toBe(kept);
    }
    for (const refused of ['/', '/vendor/queue', '/api/me', '/reset/abc', '/administrator', '/accounts', '/admin/../vendor', '/%61dmin/../vendor']) {
      expect(safeRedirectPath(refused, APP, FALLBACK, within), refused).toBe(FALLBACK);
    }
  });

  it.each([undefined, null, 42, ['/admin'], { href: '/admin' }])('refuses a non-string %j', (value) => {
    expect(resolve(value)).toBe(FALLBACK);
  });

  it('never returns anything but a path on the portal, for any input built from the tricks above', () => {
    const parts = ['/', '//', '\\', '%2F', '%5C', '\t', 'evil.example', '@', ':', 'javascript:', '.', '%', '#', '?'];
    for (const a of parts) {
      for (const b of parts) {
        for (const c of parts) {
          const out = resolve(`${a}${b}${c}`);
          expect(out.startsWith('/') && !out.startsWith('//') && !out.includes('\\')).toBe(true);
          expect(new URL(out, APP).origin).toBe(APP);
        }
      }
    }
  });
});
