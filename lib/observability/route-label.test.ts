import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createRouteLabeler } from '@/lib/observability/route-label.mjs';

const folder = mkdtempSync(path.join(os.tmpdir(), 'route-label-'));
const manifestPath = path.join(folder, 'routes-manifest.json');
// The shape Next.js 16 writes (.next/routes-manifest.json), cut down.
writeFileSync(
  manifestPath,
  JSON.stringify({
    staticRoutes: [{ page: '/', regex: '^/(?:/)?$' }, { page: '/help', regex: '^/help(?:/)?$' }, { page: '/login', regex: '^/login(?:/)?$' }],
    dynamicRoutes: [
      { page: '/reset/[token]', regex: '^/reset/([^/]+?)(?:/)?$' },
      { page: '/super-admin-reset/cancel/[token]', regex: '^/super-admin-reset/cancel/([^/]+?)(?:/)?$' },
      { page: '/status/[[...view]]', regex: '^/status(?:/(.+?))?(?:/)?$' },
    ],
  }),
);
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('route labels', () => {
  const label = createRouteLabeler(manifestPath);

  it.each([
    ['/', '/'],
    ['/help', '/help'],
    ['/help/', '/help'],
    ['/login?callbackUrl=%2Fadmin', '/login'],
    ['/reset/SECRETTOKEN', '/reset/[token]'],
    ['/reset/SECRETTOKEN?_rsc=1', '/reset/[token]'],
    ['/super-admin-reset/cancel/SECRETTOKEN', '/super-admin-reset/cancel/[token]'],
    ['/status/incidents/2026', '/status/[[...view]]'],
    ['/_next/static/chunks/app.js', '/_next/static'],
    ['/_next/image?url=x', '/_next'],
  ])('%s → %s', (url, expected) => {
    expect(label(url)).toBe(expected);
  });

  // Anything else is one value, whatever its path: a scan of random URLs cannot grow the label set.
  it.each(['/SECRETTOKEN', '/%72eset/SECRETTOKEN', '/reset/a/b', '/wp-login.php', 'http://evil/reset/x'])('%s → unmatched', (url) => {
    expect(label(url)).toBe('unmatched');
  });

  it('labels every request unmatched when there is no build yet', () => {
    expect(createRouteLabeler(path.join(folder, 'missing.json'))('/help')).toBe('unmatched');
  });
});
