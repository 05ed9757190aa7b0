import { describe, expect, it } from 'vitest';
import { createFairShares } from './fair-shares.mjs';

describe('fair shares of what an instance holds per client address', () => {
  it('counts per address and in all; releasing an item twice, or one never added, changes nothing', () => {
    const shares = createFairShares<string>();
    shares.add('10.0.0.1', 'a1');
    shares.add('10.0.0.1', 'a2');
    shares.add('10.0.0.2', 'b1');
    expect([shares.size(), shares.countOf('10.0.0.1'), shares.countOf('10.0.0.2'), shares.countOf('10.0.0.3')]).toEqual([3, 2, 1, 0]);
    shares.release('10.0.0.1', 'a1');
    shares.release('10.0.0.1', 'a1');
    shares.release('10.0.0.2', 'a2');
    shares.release('10.0.0.3', 'x');
    expect([shares.size(), shares.countOf('10.0.0.1'), shares.countOf('10.0.0.2')]).toEqual([2, 1, 1]);
  });

  it('a newcomer takes the place of the newest item of the heaviest address, released once', () => {
    const shares = createFairShares<string>();
    for (const item of ['f1', 'f2', 'f3']) shares.add('flood', item);
    shares.add('office', 'o1');
    expect(shares.pushOutFor('newcomer')).toBe('f3');
    expect([shares.size(), shares.countOf('flood')]).toEqual([3, 2]);
    // The caller's later release of what was pushed out (its socket closing) counts nothing twice.
    shares.release('flood', 'f3');
    expect([shares.size(), shares.countOf('flood')]).toEqual([3, 2]);
  });

  it('pushes nothing out for an address holding as many, or one fewer, than the heaviest', () => {
    const shares = createFairShares<string>();
    for (const item of ['a1', 'a2', 'a3']) shares.add('a', item);
    for (const item of ['b1', 'b2']) shares.add('b', item);
    expect(shares.pushOutFor('b')).toBeUndefined();
    expect(shares.pushOutFor('a')).toBeUndefined();
    expect(shares.size()).toBe(5);
    // With nothing held there is nobody to push out.
    expect(createFairShares<string>().pushOutFor('a')).toBeUndefined();
    // One more makes 'a' heavier than 'b' by two: 'b' may now take a's newest.
    shares.add('a', 'a4');
    expect(shares.pushOutFor('b')).toBe('a4');
  });
});
