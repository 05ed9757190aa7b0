import { describe, expect, it } from 'vitest';
import { inboxKey } from './mailbox';

describe('inboxKey', () => {
  it('gives every spelling of one Gmail inbox one key', () => {
    const spellings = ['probevictim@gmail.com', 'p.r.o.b.e.victim@gmail.com', 'probe.victim+alerts@gmail.com', 'probevictim@googlemail.com', 'pro.bevictim+x+y@googlemail.com'];
    expect(new Set(spellings.map(inboxKey))).toEqual(new Set(['probevictim@gmail.com']));
  });

  it('gives one name at iCloud’s or Proton’s alias domains one key', () => {
    expect(new Set(['ann@icloud.com', 'ann@me.com', 'ann+x@mac.com'].map(inboxKey))).toEqual(new Set(['ann@icloud.com']));
    expect(new Set(['ann@proton.me', 'ann@protonmail.com', 'ann@protonmail.ch', 'ann+y@pm.me'].map(inboxKey))).toEqual(new Set(['ann@proton.me']));
    expect(inboxKey('ann@me.com.evil.example')).toBe('ann@me.com.evil.example');
  });

  it('drops a +tag anywhere, and keeps the dots where they make another inbox', () => {
    expect(inboxKey('ann+1@acme.example')).toBe('ann@acme.example');
    expect(inboxKey('a.nn@acme.example')).toBe('a.nn@acme.example');
    expect(inboxKey('ann@mail.gmail.com.evil.example')).toBe('ann@mail.gmail.com.evil.example');
  });
});
