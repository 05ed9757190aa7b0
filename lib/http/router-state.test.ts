import { describe, expect, it } from 'vitest';
import { isSoundRouterState } from './router-state.mjs';

const header = (tree: unknown) => encodeURIComponent(JSON.stringify(tree));
/** A tree `levels` segments deep, each `["", { a: … }]`. */
const nested = (levels: number): unknown => (levels === 0 ? ['', {}] : ['', { a: nested(levels - 1) }]);

describe('isSoundRouterState', () => {
  it('takes no header, and trees as a client navigation sends them', () => {
    expect(isSoundRouterState(undefined)).toBe(true);
    expect(isSoundRouterState(header(['', { children: ['(public)', { children: ['status', { children: ['__PAGE__', {}, ['/status', ''], 'refetch'] }] }] }, null, null, 1]))).toBe(true);
    expect(isSoundRouterState(header(nested(20)))).toBe(true);
  });

  it('refuses what Next.js would answer with a 500: not JSON, not a tree, two headers, a bad escape', () => {
    for (const value of ['x', '%', header(['', {}, 0, 0, 0, 0, 0]), header([[[[]]]]), header({ a: 1 })]) expect(isSoundRouterState(value), value).toBe(false);
    expect(isSoundRouterState([header(['', {}]), header(['', {}])])).toBe(false);
  });

  it('refuses a tree nested deeper than any of the portal’s routes before Next.js checks its shape (time growing with the square of its depth)', () => {
    expect(isSoundRouterState(header(nested(1400)))).toBe(false);
    // Brackets inside a segment's name are text, not depth.
    expect(isSoundRouterState(header(['[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[', {}]))).toBe(true);
  });
});
