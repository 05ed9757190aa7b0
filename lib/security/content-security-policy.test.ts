import { describe, expect, it } from 'vitest';
import { hashPolicy, inlineScriptHashes, newNonce, noncePolicy } from '@/lib/security/content-security-policy.mjs';
import PrerenderedPageCache from '@/lib/security/prerendered-page-cache.mjs';

// The example of the CSP specification and MDN: what a browser computes for this script.
const HELLO = "alert('Hello, world.');";
const HELLO_HASH = "'sha256-qznLcsROx4GACP2dm0UCKCzCG+HiZ1guq6ZZDob/Tng='";

function directive(policy: string, name: string): string {
  return policy.split('; ').find((part) => part.startsWith(`${name} `)) ?? '';
}

describe('Content-Security-Policy', () => {
  it('hashes an inline script as a browser does, and only inline scripts that can run', () => {
    expect(inlineScriptHashes(`<script>${HELLO}</script>`)).toEqual([HELLO_HASH]);
    // HTML parsing turns CR LF and lone CR into LF before the script sees its text.
    expect(inlineScriptHashes(`<SCRIPT id="x">alert('Hello,\r\nworld.');</SCRIPT >`)).toEqual(
      inlineScriptHashes(`<script>alert('Hello,\nworld.');</script>`),
    );
    expect(inlineScriptHashes(`<script>alert('Hello,\rworld.');</script>`)).toEqual(inlineScriptHashes(`<script>alert('Hello,\nworld.');</script>`));
    expect(inlineScriptHashes('<script async src="/_next/static/a.js"></script><script src=/b.js></script><script></script>')).toEqual([]);
    // An attribute that merely ends in "src" is not a source.
    expect(inlineScriptHashes(`<script data-nosrc="x">${HELLO}</script>`)).toEqual([HELLO_HASH]);
    expect(inlineScriptHashes(`<script>${HELLO}</script><p>x</p><script>${HELLO}</script>`)).toEqual([HELLO_HASH]);
  });

  it('never lets an injected inline script run: no unsafe-inline for scripts, no eval outside development', () => {
    const nonce = newNonce();
    expect(Buffer.from(nonce, 'base64')).toHaveLength(16);
    expect(newNonce()).not.toBe(nonce);
    for (const policy of [noncePolicy(nonce, { dev: false }), hashPolicy(`<script>${HELLO}</script>`, { dev: false })]) {
      expect(directive(policy, 'script-src')).not.toMatch(/unsafe-inline|unsafe-eval|\*|data:|https?:/);
      expect(policy).toContain("object-src 'none'");
      expect(policy).toContain("base-uri 'none'");
      expect(policy).toContain("frame-ancestors 'none'");
      expect(policy).toContain("form-action 'self'");
      expect(policy).toContain("default-src 'self'");
    }
    expect(directive(noncePolicy(nonce, { dev: false }), 'script-src')).toBe(`script-src 'self' 'nonce-${nonce}'`);
    expect(directive(hashPolicy(`<script>${HELLO}</script>`, { dev: false }), 'script-src')).toBe(`script-src 'self' ${HELLO_HASH}`);
    expect(directive(noncePolicy(nonce, { dev: true }), 'script-src')).toContain("'unsafe-eval'");
    // A page with no inline script allows none.
    expect(directive(hashPolicy('<p>plain</p>', { dev: false }), 'script-src')).toBe("script-src 'self' ");
  });
});

describe('the prerendered-page cache', () => {
  const page = (html: string, headers?: Record<string, string>) => ({ kind: 'APP_PAGE', html, rscData: undefined, headers, status: 200 });

  it('stores each page with the policy of its own scripts, and keeps a policy the entry already has', async () => {
    const cache = new PrerenderedPageCache({ dev: false, flushToDisk: false, serverDistDir: '/nonexistent', maxMemoryCacheSize: 1_000_000 });
    const fresh = page(`<script>${HELLO}</script>`, { 'x-nextjs-stale-time': '300' });
    await cache.set('/route-cache/APP_PAGE/test/$/fresh', fresh, { cacheControl: { revalidate: 15 } });
    // The very object Next.js then sends carries it.
    expect(directive(fresh.headers!['content-security-policy']!, 'script-src')).toBe(`script-src 'self' ${HELLO_HASH}`);
    const stored = await cache.get('/route-cache/APP_PAGE/test/$/fresh', { kind: 'APP_PAGE' });
    expect(stored?.value?.headers?.['content-security-policy']).toBe(fresh.headers!['content-security-policy']);

    const own = page(`<script>${HELLO}</script>`, { 'content-security-policy': "script-src 'none'" });
    await cache.set('/route-cache/APP_PAGE/test/$/own', own, { cacheControl: { revalidate: 15 } });
    expect(own.headers!['content-security-policy']).toBe("script-src 'none'");

    const route = { kind: 'APP_ROUTE', body: Buffer.from('{}'), headers: {}, status: 200 };
    await cache.set('/route-cache/APP_ROUTE/test/$/api', route, { cacheControl: { revalidate: 15 } });
    expect(route.headers).toEqual({});
  });
});
