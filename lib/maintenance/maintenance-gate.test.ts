import { describe, expect, it } from 'vitest';
import { gateDuringMaintenance } from '@/lib/maintenance/maintenance-gate';

describe('gateDuringMaintenance', () => {
  it.each(['/login', '/account', '/change-password', '/admin', '/admin/users/123'])('turns away the app page %s', (path) => {
    expect(gateDuringMaintenance(path)).toBe('unavailable-page');
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
    '/loginhelp',
    '/administrators-guide',
  ])('lets %s through', (path) => {
    expect(gateDuringMaintenance(path)).toBe('pass');
  });
});
