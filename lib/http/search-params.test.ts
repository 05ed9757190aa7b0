import { describe, expect, it } from 'vitest';
import { firstValues, firstValuesOf } from './search-params';

describe('firstValues', () => {
  it('gives a repeated parameter its first value, as URLSearchParams.get does', async () => {
    const url = new URL('http://portal.test/x?q=a&q=b&page=2&empty=');
    const asNextGivesIt = { q: url.searchParams.getAll('q'), page: '2', empty: '' };
    expect(await firstValues(Promise.resolve(asNextGivesIt))).toEqual({ q: url.searchParams.get('q'), page: '2', empty: '' });
  });

  it('reads a route handler\'s URL the same way', () => {
    expect(firstValuesOf(new URL('http://portal.test/x?action=a&action=b&from=').searchParams)).toEqual({ action: 'a', from: '' });
  });

  it('keeps a missing parameter missing', async () => {
    expect(await firstValues(Promise.resolve({ q: undefined }))).toEqual({ q: undefined });
  });
});
