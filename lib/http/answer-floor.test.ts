import { describe, expect, it } from 'vitest';
import { answerNoSoonerThan } from './answer-floor';

describe('answerNoSoonerThan', () => {
  it('holds a quick answer until the floor, and gives its value', async () => {
    const began = performance.now();
    expect(await answerNoSoonerThan(60, async () => 'done')).toBe('done');
    expect(performance.now() - began).toBeGreaterThanOrEqual(59);
  });

  it('gives an answer it is told to give at once without waiting, and holds the others', async () => {
    const began = performance.now();
    // A floor far above any stall of a busy machine: only a wait for it could take that long.
    expect(await answerNoSoonerThan(5_000, async () => 'throttled', (answer) => answer === 'throttled')).toBe('throttled');
    expect(performance.now() - began).toBeLessThan(4_000);
    expect(await answerNoSoonerThan(60, async () => 'accepted', (answer) => answer === 'throttled')).toBe('accepted');
    expect(performance.now() - began).toBeGreaterThanOrEqual(59);
  });

  it('holds a failure until the floor too, then throws it', async () => {
    const began = performance.now();
    await expect(answerNoSoonerThan(60, async () => Promise.reject(new Error('refused')))).rejects.toThrow('refused');
    expect(performance.now() - began).toBeGreaterThanOrEqual(59);
  });
});
