import { describe, expect, it } from 'vitest';
import { maskEmail, maskPhone } from './mask';

describe('masking what is on record', () => {
  it.each([
    ['sam.rivera@acme-homecare.example', 's***@acme-homecare.example'],
    ['o@solocare.example', 'o***@solocare.example'],
    ['émile@example.com', 'é***@example.com'],
    ['not-an-address', '***'],
  ])('masks the e-mail %s as %s', (email, expected) => expect(maskEmail(email)).toBe(expected));

  it.each([
    ['+1 212 555 0151', '+1 ••• ••• 0151'],
    ['+44 20 7946 0958', '+44 •• •••• 0958'],
    ['(512) 555-0178', '(•••) •••-0178'],
    ['5125550178', '••••••0178'],
    ['0178', '0178'],
  ])('masks the phone %s as %s', (phone, expected) => expect(maskPhone(phone)).toBe(expected));

  it('never shows more than the last four digits after the country code', () => {
    const masked = maskPhone('+1 512 555 0178');
    expect(masked.replace(/^\+1/, '').replace(/\D/g, '')).toBe('0178');
  });
});
