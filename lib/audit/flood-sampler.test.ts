import { describe, expect, it } from 'vitest';
import { floodSampler } from '@/lib/audit/flood-sampler';

describe('which refusals of a flood get an audit record', () => {
  it('[ANONYMOUS] records each of the first ten from an address, then only each power of ten, each with its count', () => {
    const toRecord = floodSampler();
    const now = 1_000_000;
    const recorded = [];
    for (let i = 0; i < 20_000; i += 1) {
      const count = toRecord('203.0.113.7', { now: now + i });
      if (count !== null) recorded.push(count);
    }
    expect(recorded).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 100, 1_000, 10_000]);
  });

  it('[ANONYMOUS] counts each address on its own, and starts over after a minute', () => {
    const toRecord = floodSampler();
    const now = 5_000_000;
    for (let i = 0; i < 50; i += 1) toRecord('198.51.100.1', { now });
    expect(toRecord('198.51.100.2', { now })).toBe(1);
    expect(toRecord('198.51.100.1', { now })).toBeNull();
    expect(toRecord('198.51.100.1', { now: now + 60_000 })).toBe(1);
  });

  it('[ANONYMOUS] records no more than 100 a minute from all addresses together: a flood from many addresses stays bounded', () => {
    const toRecord = floodSampler();
    const now = 9_000_000;
    const recorded = Array.from({ length: 500 }, (_, i) => toRecord(`2001:db8::${i.toString(16)}`, { now: now + i })).filter((count) => count !== null);
    expect(recorded).toHaveLength(100);
    expect(toRecord('2001:db8::ffff', { now: now + 60_000 })).toBe(1);
  });

  it('[ANONYMOUS] a flood against one scope (an agency) spends that scope’s bound only: another agency’s refusals are still recorded', () => {
    const toRecord = floodSampler();
    const now = 12_000_000;
    const flood = Array.from({ length: 500 }, (_, i) => toRecord(`sign-in:10.0.${i >> 8}.${i & 255}`, { scope: 'agency-solo', now: now + i })).filter((count) => count !== null);
    expect(flood).toHaveLength(100);
    expect(Array.from({ length: 6 }, (_, i) => toRecord('sign-in:192.0.2.200', { scope: 'agency-acme', now: now + 600 + i }))).toEqual([1, 2, 3, 4, 5, 6]);
  });
});
