import { describe, expect, it } from 'vitest';
import { createFairShares, OLDEST_LOOKED_AT } from './fair-shares.mjs';

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

describe('fair shares when every address holds as little as the newcomer could take (review r45d F1)', () => {
  it('a newcomer takes the place of the oldest item of an address holding more than its own, that the caller lets go', () => {
    const shares = createFairShares<string>();
    // Thousands of addresses holding one each (a botnet, an IPv6 /48 at a /64 apiece): none is heavier by two.
    for (const address of ['a', 'b', 'c', 'd']) shares.add(address, `${address}1`);
    expect(shares.pushOutFor('newcomer')).toBeUndefined();
    expect(shares.pushOutOldestFor('newcomer')).toBe('a1');
    // Only what the caller lets go (a connection that has sent nothing): b1 is at work, c1 goes.
    expect(shares.pushOutOldestFor('newcomer', (item) => item !== 'b1')).toBe('c1');
    expect([shares.size(), shares.countOf('a'), shares.countOf('c')]).toEqual([2, 0, 0]);
    shares.release('a', 'a1');
    expect(shares.size()).toBe(2);
  });

  it('never for an address holding as many as the others: the heaviest gets nothing this way', () => {
    const shares = createFairShares<string>();
    for (const address of ['a', 'b']) shares.add(address, `${address}1`);
    expect(shares.pushOutOldestFor('a')).toBeUndefined();
    shares.add('a', 'a2');
    expect(shares.pushOutOldestFor('a')).toBeUndefined();
    // b, lighter than a, takes a's oldest.
    expect(shares.pushOutOldestFor('b')).toBe('a1');
    expect(createFairShares<string>().pushOutOldestFor('a')).toBeUndefined();
  });
});

describe('the cost of looking for the oldest (review r45e F2)', () => {
  it('looks at the oldest OLDEST_LOOKED_AT items only: a refusal at saturation is no walk through thousands', () => {
    const shares = createFairShares<string>();
    for (let i = 0; i < 5000; i += 1) shares.add(`address-${i}`, `item-${i}`);
    let asked = 0;
    expect(shares.pushOutOldestFor('newcomer', () => (asked += 1) < 0)).toBeUndefined();
    expect(asked).toBe(OLDEST_LOOKED_AT);
    // The first of them that may go, goes.
    expect(shares.pushOutOldestFor('newcomer', (item) => item === `item-${OLDEST_LOOKED_AT - 1}`)).toBe(`item-${OLDEST_LOOKED_AT - 1}`);
    expect(shares.pushOutOldestFor('newcomer', (item) => item === `item-${OLDEST_LOOKED_AT + 1}`)).toBeUndefined();
  });
});
