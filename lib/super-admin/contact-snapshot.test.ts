import { describe, expect, it } from 'vitest';
import { contactDetailsChanged } from './contact-snapshot';

describe('the contact details snapshot', () => {
  const filed = { email: 'Olive@LoneStar.example', phone: '+1 (512) 555-0178' };

  it('treats the same address in another case, and the same number in another layout, as unchanged', () => {
    expect(contactDetailsChanged(filed, { email: 'olive@lonestar.example', phone: '+1 512 555 0178' })).toBe(false);
  });

  it('sees a new address, a removed one, an added one, or one changed digit as a change', () => {
    expect(contactDetailsChanged(filed, { ...filed, email: 'olive@elsewhere.example' })).toBe(true);
    expect(contactDetailsChanged(filed, { ...filed, email: null })).toBe(true);
    expect(contactDetailsChanged({ email: null, phone: null }, { email: 'new@lonestar.example', phone: null })).toBe(true);
    expect(contactDetailsChanged(filed, { ...filed, phone: '+1 512 555 0179' })).toBe(true);
    expect(contactDetailsChanged(filed, { ...filed, phone: null })).toBe(true);
  });
});
