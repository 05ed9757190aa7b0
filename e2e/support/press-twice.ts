import type { Locator, Page } from '@playwright/test';

/**
 * Presses Enter twice in `field`'s form without JavaScript, the first answer slow to come (held here until the second
 * press is sent): the browser sends the form again and shows only the second answer. The first copy reaches the
 * server first, and the second once the first's answer is in, as a late second press does. How many POSTs were sent.
 */
export async function pressTwice(page: Page, path: string, field: Locator): Promise<() => number> {
  let posts = 0;
  let firstSent!: () => void;
  const first = new Promise<void>((resolve) => (firstSent = resolve));
  let secondSent!: () => void;
  const second = new Promise<void>((resolve) => (secondSent = resolve));
  let firstDone: Promise<unknown> = Promise.resolve();
  await page.route(`**${path}`, async (route) => {
    if (route.request().method() !== 'POST') return route.continue();
    posts += 1;
    if (posts === 1) {
      const answer = route.fetch({ maxRedirects: 0 });
      firstDone = answer;
      firstSent();
      await second;
      // The browser left this copy for the second: its answer is dropped.
      await route.fulfill({ response: await answer }).catch(() => undefined);
    } else {
      secondSent();
      await firstDone;
      await route.continue();
    }
  });
  await field.focus();
  await page.keyboard.press('Enter');
  // Pressed again once the first is on its way (pressed before, the browser would send only the second).
  await first;
  await page.keyboard.press('Enter');
  return () => posts;
}
