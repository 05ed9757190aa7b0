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

  it('gives one key to the spellings any provider may deliver to one inbox: a +tag, dots, dashes, underscores (review r35a F2)', () => {
    const proton = ['victimname@proton.me', 'victim.name@proton.me', 'victim-name@proton.me', 'victim_name@proton.me', 'v.ictim_name@pm.me', 'victimname+2@protonmail.com'];
    expect(new Set(proton.map(inboxKey))).toEqual(new Set(['victimname@proton.me']));
    expect(new Set(['ann+1@acme.example', 'a.nn@acme.example', 'a_nn+news@acme.example', 'ann@acme.example'].map(inboxKey))).toEqual(new Set(['ann@acme.example']));
    expect(inboxKey('ann@mail.gmail.com.evil.example')).toBe('ann@mail.gmail.com.evil.example');
    // Names told apart by what follows a dash stay apart (review r35c F5).
    expect(new Set(['mary-ann@acme.example', 'mary-jane@acme.example', 'mary@acme.example'].map(inboxKey)).size).toBe(3);
  });
});
