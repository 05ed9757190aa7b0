import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { afterSignInPath, finishFormSignIn, type SignedIn } from '@/lib/auth/sign-in-form';

const APP = path.resolve(import.meta.dirname, '../../app');

/** The path of every route handler in the app (`app/(admin)/admin/audit/export/route.ts` → `/admin/audit/export`). */
function routeHandlerPaths(dir = APP): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return routeHandlerPaths(full);
    if (!/^route\.(ts|tsx|js)$/.test(entry.name)) return [];
    const segments = path.relative(APP, dir).split(path.sep).filter((segment) => !/^\(.*\)$/.test(segment));
    return [`/${segments.join('/')}`];
  });
}

describe('where a sign-in continues', () => {
  it('keeps a page of its own audience, with its query', () => {
    expect(afterSignInPath('agency', '/admin/help-requests?from=mail')).toBe('/admin/help-requests?from=mail');
    expect(afterSignInPath('agency', '/admin/audit?action=SIGN_IN_SUCCESS')).toBe('/admin/audit?action=SIGN_IN_SUCCESS');
    expect(afterSignInPath('vendor', '/vendor/queue')).toBe('/vendor/queue');
  });

  it('never continues to a sign-in page, which lies under the vendor section: signed in, the person would see an empty sign-in form (review r45c F1)', () => {
    for (const written of ['/vendor/login', '/vendor/login/verify', '/vendor/login?x=1', '/vendor/login/', '/vendor//login', '/vendor/%6Cogin']) {
      expect(afterSignInPath('vendor', written), written).toBe('/vendor');
      expect(afterSignInPath({ kind: 'vendor', role: 'VERIFIER' }, written), written).toBe('/vendor');
    }
    expect(afterSignInPath('agency', '/login')).toBe('/account');
    expect(afterSignInPath('vendor', '/vendor/loginx')).toBe('/vendor/loginx');
  });

  it('never continues to a page’s router data or a file (a browser would show it as raw text), however the dot is written', () => {
    const pages = ['/account/security', '/admin/audit', '/admin/users/abc', '/vendor/queue/abc', '/vendor'];
    for (const page of pages) {
      const home = page.startsWith('/vendor') ? '/vendor' : '/account';
      const audience = page.startsWith('/vendor') ? 'vendor' : 'agency';
      for (const written of [`${page}.rsc`, `${page}.rsc?x=1`, `${page}.rsc/`, `${page}%2Ersc`, `${page}%2ersc`, `${page}.segment.rsc`, `${page}.txt`, `${page}.`]) {
        expect(afterSignInPath(audience, written), written).toBe(home);
      }
      expect(afterSignInPath(audience, page)).toBe(page);
    }
  });

  it('never continues to a route handler (a download or JSON), whichever audience signs in and however it is written', () => {
    const routes = routeHandlerPaths();
    expect(routes).toContain('/admin/audit/export');
    for (const route of routes) {
      // Next.js answers repeated and trailing slashes with a redirect to the plain path.
      const spellings = [
        route,
        `${route}?from=x`,
        `${route}/`,
        route.replace(/^\/(\w)/, (_, first: string) => `/./${first}`),
        route.replace(/\//g, '//'),
        route.replace(/\/(?=[^/]*$)/, '///'),
        `${route}//`,
        // Next.js decodes each segment before routing: "%65xport" is "export".
        route.replace(/\/(\w)(?=[^/]*$)/, (_, first: string) => `/%${first.charCodeAt(0).toString(16)}`),
        route.replace(/^\/(\w)/, (_, first: string) => `/%${first.charCodeAt(0).toString(16).toUpperCase()}`),
      ];
      for (const written of spellings) {
        expect(afterSignInPath('agency', written), written).toBe('/account');
        expect(afterSignInPath('vendor', written), written).toBe('/vendor');
      }
    }
  });
});

describe('where a sign-in continues, once the person is known', () => {
  // Only to a section the role opens: any other would be a dead end, and an "access denied" on their record.
  it.each<[SignedIn['kind'], SignedIn['role'], string, string]>([
    ['agency', 'STAFF', '/admin', '/account'],
    ['agency', 'STAFF', '/%61dmin/users/x', '/account'],
    ['agency', 'STAFF', '/account/security', '/account/security'],
    ['agency', 'PROVIDER_ADMIN', '/admin/users/x?tab=1', '/admin/users/x?tab=1'],
    ['agency', 'SUPER_ADMIN', '/admin/audit', '/admin/audit'],
    ['agency', 'PROVIDER_ADMIN', '/admin/policy', '/account'],
    ['agency', 'PROVIDER_ADMIN', '/admin/policy/?from=mail', '/account'],
    ['agency', 'SUPER_ADMIN', '/admin/policy', '/admin/policy'],
    ['vendor', 'VERIFIER', '/vendor/status', '/vendor'],
    ['vendor', 'VERIFIER', '/vendor/queue/abc', '/vendor/queue/abc'],
    ['vendor', 'OPERATOR', '/vendor/queue/abc', '/vendor'],
    ['vendor', 'OPERATOR', '/vendor/status', '/vendor/status'],
    ['vendor', 'OPERATOR', '/vendor/security', '/vendor/security'],
    // The section is the longest root a path lies under, not the first: "/vendor/queue" is not just "/vendor".
    ['vendor', 'OPERATOR', '/vendor/queue', '/vendor'],
    // The role never widens the audience.
    ['agency', 'SUPER_ADMIN', '/vendor/queue', '/account'],
  ])('%s %s asking for %s continues to %s', (kind, role, callback, expected) => {
    expect(afterSignInPath({ kind, role }, callback)).toBe(expected);
  });
});

describe('what a refused sign-in says', () => {
  it('tells an address slowed for spraying how many seconds to wait, not the quarter hour of its limit', async () => {
    const typed = { providerCode: 'ACME-NY', loginName: 'jsmith', callbackUrl: '' };
    expect(await finishFormSignIn({ ok: false, reason: 'THROTTLED', retryAfterSeconds: 7 }, 'agency', typed)).toMatchObject({ ok: false, message: expect.stringContaining('Wait 7 seconds') });
    expect(await finishFormSignIn({ ok: false, reason: 'THROTTLED' }, 'agency', typed)).toMatchObject({ message: expect.stringContaining('Wait 15 minutes') });
  });
});
