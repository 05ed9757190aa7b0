import { describe, expect, it } from 'vitest';
import { refusedWhat } from '@/lib/audit/refused-what';

const TOKEN = 'AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-abcde';

describe('refusedWhat', () => {
  it('keeps no single-use link token, however the path is written (review r51g F1)', () => {
    for (const what of [`POST /reset/${TOKEN}`, `POST /super-admin-reset/cancel/${TOKEN}`, `POST /%72eset/${TOKEN}`, `POST //RESET/${TOKEN}`, `page /status/subscribe/confirm?s=x&t=${TOKEN}`]) {
      expect(refusedWhat(what), what).not.toContain(TOKEN);
      expect(refusedWhat(what), what).toContain('[redacted]');
    }
  });

  it('keeps what names the refusal as it was, cut to 200 characters', () => {
    expect(refusedWhat('action unlockUser')).toBe('action unlockUser');
    expect(refusedWhat('POST /admin/users/cmxdawylr0161z37d84tpcfes')).toBe('POST /admin/users/cmxdawylr0161z37d84tpcfes');
    expect(refusedWhat(`page /admin/users/${'x'.repeat(400)}`)).toHaveLength(200);
  });
});
