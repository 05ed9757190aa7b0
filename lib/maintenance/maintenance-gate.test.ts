import { describe, expect, it } from 'vitest';
import { actionClosedDuringMaintenance, gateDuringMaintenance } from '@/lib/maintenance/maintenance-gate';

describe('gateDuringMaintenance', () => {
  it.each(['/login', '/account', '/change-password', '/admin', '/admin/users/123', '/reset/some-link-token', '/reset/done'])('turns away the app page %s', (path) => {
    expect(gateDuringMaintenance(path)).toBe('unavailable-page');
    // An action called there with JavaScript is the kit's to close, in words its form shows.
    expect(gateDuringMaintenance(path, true)).toBe('pass');
    expect(gateDuringMaintenance('/api/me', true)).toBe('unavailable-json');
  });

  it.each(['/api/me', '/api/auth/callback/agency', '/api/auth/signin/agency', '/api/admin/users', '/api/auth/callback/agency-evil'])(
    'answers the API %s with JSON',
    (path) => {
      expect(gateDuringMaintenance(path)).toBe('unavailable-json');
    },
  );

  it.each([
    '/',
    '/help',
    '/help/ask-admin',
    // The lone super admin's request to the vendor: a person verifies it; the link mailed later is closed.
    '/super-admin-reset',
    '/resetting',
    '/status',
    '/status/feed.atom',
    '/status/unsubscribe',
    '/vendor',
    '/vendor/login',
    '/vendor/status',
    '/api/health',
    '/api/live',
    '/api/ready',
    '/api/status',
    // Signing out ends a session; it never opens one (app/(public)/sign-out/route.ts).
    '/sign-out',
    '/loginhelp',
    '/administrators-guide',
  ])('lets %s through', (path) => {
    expect(gateDuringMaintenance(path)).toBe('pass');
  });
});

describe('actionClosedDuringMaintenance', () => {
  it.each([
    ['sign-in', 'public'],
    ['passkey-sign-in', 'public'],
    ['passkey-sign-in-options', 'public'],
    ['admin-unlock', 'agency'],
    ['change-password', 'agency'],
    ['verify-passkey-agency', 'agency'],
  ] as const)('closes %s (%s) wherever it is posted', (name, principal) => {
    expect(actionClosedDuringMaintenance(name, principal)).toBe(true);
  });

  it.each([
    ['vendor-sign-in', 'public'],
    ['status-end-maintenance', 'vendor'],
    ['ask-admin', 'public'],
    ['super-admin-request', 'public'],
    ['status-subscribe', 'public'],
  ] as const)('leaves %s (%s) open, as its pages are', (name, principal) => {
    expect(actionClosedDuringMaintenance(name, principal)).toBe(false);
  });
});
