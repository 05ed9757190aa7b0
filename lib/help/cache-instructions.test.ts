import { describe, expect, it } from 'vitest';
import { CACHE_INSTRUCTIONS, orderForBrowser } from './cache-instructions';

describe('cache instructions', () => {
  it('cover the six browsers the guide promises, each with steps', () => {
    expect(CACHE_INSTRUCTIONS.map((entry) => entry.id)).toEqual(['chrome', 'edge', 'firefox', 'safari', 'ios', 'android']);
    for (const entry of CACHE_INSTRUCTIONS) expect(entry.steps.length).toBeGreaterThanOrEqual(2);
  });

  it('put the detected browser first and keep the others in their order', () => {
    const { first, others } = orderForBrowser(CACHE_INSTRUCTIONS, 'firefox');
    expect(first?.id).toBe('firefox');
    expect(others.map((entry) => entry.id)).toEqual(['chrome', 'edge', 'safari', 'ios', 'android']);
  });

  it('put nothing first for an unknown or undetected browser', () => {
    for (const detected of ['other', null] as const) {
      const { first, others } = orderForBrowser(CACHE_INSTRUCTIONS, detected);
      expect(first).toBeNull();
      expect(others).toEqual(CACHE_INSTRUCTIONS);
    }
  });
});
