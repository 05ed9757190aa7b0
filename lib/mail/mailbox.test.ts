import { describe, expect, it } from 'vitest';
import { addressKey, addressKeySpellings, inboxDomain, inboxKey, LARGE_PROVIDER_DOMAINS } from './mailbox';

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

describe('inboxDomain', () => {
  it('names the domain of inboxKey’s inbox: an alias domain as the one it is an alias of', () => {
    expect(['ann@googlemail.com', 'ann+x@gmail.com', 'ann@pm.me', 'ann@mac.com', 'victim-3@catchall.example'].map(inboxDomain)).toEqual(['gmail.com', 'gmail.com', 'proton.me', 'icloud.com', 'catchall.example']);
    for (const email of ['ann@gmail.com', 'ann@googlemail.com', 'ann@proton.me', 'ann@pm.me']) expect(inboxKey(email).endsWith(`@${inboxDomain(email)}`)).toBe(true);
  });

  it('names each large provider by the domain inboxDomain gives it, so its larger budget is found', () => {
    for (const domain of LARGE_PROVIDER_DOMAINS) expect(inboxDomain(`ann@${domain}`)).toBe(domain);
    expect(LARGE_PROVIDER_DOMAINS.has(inboxDomain('ann@googlemail.com'))).toBe(true);
    expect(LARGE_PROVIDER_DOMAINS.has(inboxDomain('ann@gmail.com.evil.example'))).toBe(false);
  });
});

describe('addressKey', () => {
  it('gives one key to an address however its domain is spelt, as a mail server reads it (review r41b F1)', () => {
    const spellings = ['Ann@Bücher.Example', 'ann@xn--bcher-kva.example', 'ANN@XN--BCHER-KVA.EXAMPLE', 'ann@bücher。example', 'ann@bücher｡example', 'ann@bücher．example'];
    expect(new Set(spellings.map(addressKey))).toEqual(new Set(['ann@xn--bcher-kva.example']));
    expect(new Set(['ann@example.com', 'ann@example。com', 'ann@EXAMPLE｡COM'].map(addressKey))).toEqual(new Set(['ann@example.com']));
    // The local part is kept as normalizeKey makes it; tags and dots are inboxKey's.
    expect(addressKey('Ann.Lee+x@example.com')).toBe('ann.lee+x@example.com');
    expect(inboxKey(addressKey('a.nn+x@Bücher。example'))).toBe('ann@xn--bcher-kva.example');
  });
});

describe('addressKeySpellings', () => {
  it('names the keys a row of the address was saved under before addressKey, its own first (review r41e F1)', () => {
    expect(addressKeySpellings('Ann@Bücher。Example')).toEqual(['ann@xn--bcher-kva.example', 'ann@bücher。example', 'ann@bücher.example']);
    expect(addressKeySpellings('ann@xn--bcher-kva.example')).toEqual(['ann@xn--bcher-kva.example', 'ann@bücher.example']);
    expect(addressKeySpellings('Ann@Example.com')).toEqual(['ann@example.com']);
  });
});
