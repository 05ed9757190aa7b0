import { describe, expect, it } from 'vitest';
import { describeAge, urgencyOf } from './queue-age';

const MIN = 60_000;
const HOUR = 60 * MIN;

describe('time in queue', () => {
  it.each([
    [0, 'under a minute'],
    [59_999, 'under a minute'],
    [12 * MIN, '12 min'],
    [5 * HOUR + 12 * MIN, '5 h 12 min'],
    [51 * HOUR, '2 d 3 h'],
  ])('describes %i ms as %s', (ms, text) => expect(describeAge(ms)).toBe(text));

  it('highlights a request waiting a day, and more strongly after three', () => {
    expect(urgencyOf(23 * HOUR)).toBe('normal');
    expect(urgencyOf(24 * HOUR)).toBe('aging');
    expect(urgencyOf(71 * HOUR)).toBe('aging');
    expect(urgencyOf(72 * HOUR)).toBe('overdue');
  });
});
