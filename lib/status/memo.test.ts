import { afterEach, describe, expect, it, vi } from 'vitest';
import { memoize } from '@/lib/status/memo';

afterEach(() => {
  vi.useRealTimers();
});

describe('memoize', () => {
  it('loads once for concurrent callers and again after the time to live', async () => {
    vi.useFakeTimers();
    let loads = 0;
    const get = memoize(1000, async () => ++loads);
    expect(await Promise.all([get(), get(), get()])).toEqual([1, 1, 1]);
    vi.advanceTimersByTime(999);
    expect(await get()).toBe(1);
    vi.advanceTimersByTime(1);
    expect(await get()).toBe(2);
  });

  it('does not keep a failure', async () => {
    let calls = 0;
    const get = memoize(1000, async () => {
      calls += 1;
      if (calls === 1) throw new Error('database down');
      return 'ok';
    });
    await expect(get()).rejects.toThrow('database down');
    expect(await get()).toBe('ok');
  });
});
