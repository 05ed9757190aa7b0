// A mail budget counts the hour first and stops at a limited rule: a burst past the hour's limit must not
// spend the longer window, or one burst would silence an inbox for a week, an agency's admins for a day (review r45b F1).
import { describe, expect, it } from 'vitest';
import { db } from '@/lib/db/client';
import { consumeMailBudget, consumeRateLimit, MAIL_BUDGETS, RATE_LIMITS } from '@/lib/rate-limit/rate-limit';
import { uniqueSuffix } from '@/prisma/factories';

describe('mail budgets', () => {
  it.each(Object.entries(MAIL_BUDGETS))('%s: a burst past the hour leaves the longer window all but the hour’s share', async (_name, budget) => {
    expect(budget.hour.limit).toBeLessThan(budget.longer.limit);
    const subject = `burst-${uniqueSuffix()}`;
    const burst = [];
    for (let i = 0; i < budget.hour.limit + 2; i += 1) burst.push((await consumeMailBudget(db(), budget, subject)).limited);
    expect(burst).toEqual([...Array(budget.hour.limit).fill(false), true, true]);
    // The longer window counted only the mails sent: what is left of it is still there.
    const rest = [];
    for (let i = 0; i < budget.longer.limit - budget.hour.limit + 1; i += 1) rest.push((await consumeRateLimit(db(), budget.longer, subject)).limited);
    expect(rest).toEqual([...Array(budget.longer.limit - budget.hour.limit).fill(false), true]);
  }, 120_000); // a large provider's budget is some 3,000 counts, a write each

  it('tells exactly one of many events counted at once past a limit that it is the window’s first refusal (operators hear of it once)', async () => {
    const rule = RATE_LIMITS.statusSubscribePerDomain;
    const subject = `at-once-${uniqueSuffix()}`;
    const states = await Promise.all(Array.from({ length: rule.limit + 10 }, () => consumeRateLimit(db(), rule, subject)));
    expect(states.filter((state) => state.limited)).toHaveLength(10);
    expect(states.filter((state) => state.firstRefusal)).toHaveLength(1);
    expect((await consumeRateLimit(db(), rule, subject)).firstRefusal).toBe(false);
  });
});
