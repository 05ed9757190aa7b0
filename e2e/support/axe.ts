// The one accessibility check every spec runs: WCAG 2.2 AA as far as a machine can tell (axe-core's
// rules for levels A and AA of 2.0 to 2.2), on a page that has settled.
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/**
 * Fails with a readable line per violation. After a form's redirect or a link, Next.js puts the new
 * page's <title> in a moment after its body: the check waits for it rather than judge a page between
 * two titles (and fails all the same if a page never gets one).
 */
export async function expectNoAxeViolations(page: Page, label = '') {
  await expect(page, `${label} has a title`.trim()).toHaveTitle(/\S/);
  const { violations } = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  const readable = violations.map((v) => `${label ? `${label} ` : ''}${v.id} (${v.impact}): ${v.help} → ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(readable).toEqual([]);
}
