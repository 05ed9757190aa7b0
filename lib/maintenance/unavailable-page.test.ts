import { describe, expect, it } from 'vitest';
import { inlineScriptHashes } from '@/lib/security/content-security-policy.mjs';
import { renderUnavailablePage, retryAfterSeconds, unavailableHeaders, unavailableJson } from '@/lib/maintenance/unavailable-page';

const NOW = new Date('2026-12-01T02:00:00Z');
const window = { title: 'Database <upgrade>', endsAt: new Date('2026-12-01T04:30:00Z') };

describe('the Unavailable answer', () => {
  it('says when to retry, in seconds until the expected end, and never less than one', () => {
    expect(retryAfterSeconds(window.endsAt, NOW)).toBe(9000);
    expect(retryAfterSeconds(new Date(NOW.getTime() + 1200), NOW)).toBe(2);
    expect(retryAfterSeconds(new Date(NOW.getTime() - 5000), NOW)).toBe(1);
  });

  it('may not be stored by any cache and carries no validator', () => {
    const headers = unavailableHeaders(window, 'text/html; charset=utf-8', NOW);
    expect(headers.get('cache-control')).toBe('no-store');
    expect(headers.get('retry-after')).toBe('9000');
    expect(headers.has('etag')).toBe(false);
    expect(headers.has('last-modified')).toBe(false);
    expect(headers.has('expires')).toBe(false);
  });

  it('names the expected end, escapes the title, links the guide, the status and the downtime materials', () => {
    const html = renderUnavailablePage(window);
    expect(html).toContain('We expect to be back by <time id="expected-end" datetime="2026-12-01T04:30:00.000Z">Dec 1, 2026, 4:30 AM UTC</time>');
    expect(html).toContain('Database &lt;upgrade&gt;');
    expect(html).not.toContain('<upgrade>');
    for (const href of ['/help', '/status', '/help/downtime']) expect(html).toContain(`href="${href}"`);
    expect(html).toContain("fetch('/api/status', { cache: 'no-store'");
  });

  it('answers JSON clients with the expected end', () => {
    expect(JSON.parse(unavailableJson(window))).toMatchObject({ error: 'MAINTENANCE', expectedEnd: '2026-12-01T04:30:00.000Z' });
  });

  it('allows the Unavailable page its one inline script, whatever the window', () => {
    const a = renderUnavailablePage({ title: 'Upgrade', endsAt: new Date('2026-12-01T04:30:00Z') });
    const b = renderUnavailablePage({ title: '<script>alert(1)</script>', endsAt: new Date('2026-12-02T04:30:00Z') });
    expect(inlineScriptHashes(a)).toHaveLength(1);
    // The title is escaped, so it adds no script, and the polling script does not change with it.
    expect(inlineScriptHashes(b)).toEqual(inlineScriptHashes(a));
  });
});
