import type { Page } from '@playwright/test';
import { RATE_LIMITS } from '@/lib/rate-limit/rate-limit';
import { createAgency, createUser, uniqueSuffix } from '@/prisma/factories';
import { expectNoAxeViolations } from './support/axe';
import { db, TEST_PASSWORD } from './support/data';
import { E2E_BASE_URL } from './support/env';
import { findMail, waitForMail } from './support/mailbox';
import { expect, signInAsAgencyUser, test } from './support/test';

const SUBJECT = 'Help request: someone in your agency cannot sign in to CareNotes';
/** People on one page of the inbox (HELP_INBOX_PEOPLE). */
const INBOX_PAGE = 100;

/** `name` and a suffix of its own: agencies' names are looked up among all of them (asking by name). */
async function agencyWithAdmins(name = 'Riverside Care') {
  const suffix = uniqueSuffix();
  const agency = await createAgency(db(), { name: `${name} ${suffix}` });
  const make = (loginName: string, role: 'STAFF' | 'PROVIDER_ADMIN' | 'SUPER_ADMIN', displayName: string) =>
    createUser(db(), agency.id, TEST_PASSWORD, { loginName, role, displayName, email: `${loginName}.${suffix}@riverside.example` });
  return {
    agency,
    staff: await make('drew.staff', 'STAFF', 'Drew Parker'),
    admins: [await make('alex.admin', 'PROVIDER_ADMIN', 'Alex Admin'), await make('sky.super', 'SUPER_ADMIN', 'Sky Super')],
  };
}

async function sendRequest(page: Page, details: { providerCode: string; loginName: string; message?: string }) {
  await page.goto('/help/ask-admin');
  await page.getByLabel('Provider code').fill(details.providerCode);
  await page.getByLabel('Login name').fill(details.loginName);
  if (details.message) await page.getByLabel('Message (optional)').fill(details.message);
  await page.getByRole('button', { name: 'Send request' }).click();
}

async function ask(page: Page, details: { providerCode: string; loginName: string; message?: string }) {
  await sendRequest(page, details);
  const answer = page.getByTestId('ask-admin-sent');
  await expect(answer).toBeVisible();
  return (await page.locator('main').innerText()).trim();
}

test('[STAFF] can ask their administrators: one request, one delivered mail per admin; an unknown account gets the same page and nothing', async ({
  page,
}) => {
  const { agency, staff, admins } = await agencyWithAdmins();

  const realAnswer = await ask(page, { providerCode: agency.code.toLowerCase(), loginName: 'Drew.Staff', message: 'Locked out after my holiday' });
  await expect(page.getByRole('heading', { name: 'Request received' })).toBeFocused();
  expect(realAnswer).not.toMatch(/Alex|Sky|admin\./);
  // An administrator no one else can help is pointed to the request the vendor verifies, in every answer alike (review r41g F1).
  await expect(page.getByTestId('ask-admin-sent').getByRole('link', { name: 'super administrator password reset request' })).toHaveAttribute('href', '/super-admin-reset');
  expect(realAnswer).toContain('no other administrator can reset your password? Send a super administrator password reset request instead.');

  const requests = await db().helpRequest.findMany({ where: { agencyId: agency.id } });
  expect(requests).toHaveLength(1);
  expect(requests[0]).toMatchObject({ userId: staff.id, message: 'Locked out after my holiday', status: 'OPEN' });

  for (const admin of admins) {
    const mail = await waitForMail({ to: admin.email!, subjectIncludes: SUBJECT });
    expect(mail.text).toContain(`Drew Parker (login name drew.staff) at ${agency.name}`);
    expect(mail.text).toContain('Locked out after my holiday');
    expect(mail.links).toContain(`${E2E_BASE_URL}/admin/help-requests`);
  }
  // The outbox is written with the request, in one transaction: what is not there is never sent.
  expect(await db().outboxMessage.count({ where: { toAddress: staff.email!, template: 'help-request' } })).toBe(0);
  expect(await findMail({ to: staff.email!, subjectIncludes: SUBJECT })).toHaveLength(0);

  const unknownAnswer = await ask(page, { providerCode: agency.code, loginName: 'no.such.person', message: 'Locked out after my holiday' });
  expect(unknownAnswer).toBe(realAnswer);
  expect(await db().helpRequest.count({ where: { agencyId: agency.id } })).toBe(1);
  // Queued mail is written in the same transaction as the request: none queued means none will be sent.
  const queued = await db().outboxMessage.count({ where: { template: 'help-request', toAddress: { in: admins.map((a) => a.email!) } } });
  expect(queued).toBe(admins.length);

  const unknownAgency = await ask(page, { providerCode: 'NO-SUCH-AGENCY', loginName: 'drew.staff', message: 'Locked out after my holiday' });
  expect(unknownAgency).toBe(realAnswer);
});

test('[STAFF] on a shared computer, Back to the request sent without JavaScript gives the next person none of its message (review r52c F1)', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  try {
    await ask(page, { providerCode: 'NO-SUCH-AGENCY', loginName: 'shared.computer', message: 'Call me on my own phone, 555 0147' });
    await page.goto('/help');
    await page.goBack();
    await page.goBack();
    await expect(page).toHaveURL(/\/help\/ask-admin$/);
    // The browser does give back what it may keep (so this test sees a restore at all), but not the message.
    await expect(page.getByLabel('Login name')).toHaveValue('shared.computer');
    await expect(page.getByLabel('Message (optional)')).toHaveValue('');
  } finally {
    await context.close();
  }
});

test('[PROVIDER_ADMIN] sees a person named three times once, with every request’s words, and one click resolves all three', async ({ page }) => {
  const { agency, staff, admins } = await agencyWithAdmins();
  const messages = ['first', 'second', 'Still locked out, third time'];
  await db().helpRequest.createMany({
    data: messages.map((message, i) => ({ agencyId: agency.id, userId: staff.id, message, createdAt: new Date(Date.now() - (3 - i) * 60_000) })),
  });
  await signInAsAgencyUser(page, { providerCode: agency.code, loginName: admins[0]!.loginName, password: TEST_PASSWORD });
  await page.goto('/admin/help-requests');
  const entries = page.getByTestId('help-request');
  await expect(entries).toHaveCount(1);
  await expect(entries.first()).toContainText(/Drew Parker \(drew\.staff\) asked 3 times, first at .+, last at /);
  await expect(entries.first().locator('blockquote')).toHaveText([/Still locked out, third time$/, /second$/, /first$/]);
  await expectNoAxeViolations(page);
  await entries.first().getByRole('button', { name: 'Mark resolved' }).click();
  await expect(page.getByText('No open requests.')).toBeVisible();
  expect(await db().helpRequest.count({ where: { userId: staff.id, status: 'RESOLVED' } })).toBe(3);
});

test('[PROVIDER_ADMIN] without JavaScript, one click on a grouped entry closes what it showed and leaves newer words open', async ({ browser }) => {
  const { agency, staff, admins } = await agencyWithAdmins();
  await db().helpRequest.createMany({
    data: ['first', 'second'].map((message, i) => ({ agencyId: agency.id, userId: staff.id, message, createdAt: new Date(Date.now() - (3 - i) * 60_000) })),
  });
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  try {
    await signInAsAgencyUser(page, { providerCode: agency.code, loginName: admins[0]!.loginName, password: TEST_PASSWORD });
    await page.goto('/admin/help-requests');
    const entry = page.getByTestId('help-request');
    await expect(entry.locator('blockquote')).toHaveText([/second$/, /first$/]);
    // Words that arrive while the page is open were not shown: the click must leave them open.
    const later = await db().helpRequest.create({ data: { agencyId: agency.id, userId: staff.id, message: 'Arrived after the page was read' } });
    await entry.getByRole('button', { name: 'Dismiss' }).click();
    await expect(page.getByTestId('help-request').locator('blockquote')).toHaveText([/Arrived after the page was read$/]);
    const statuses = await db().helpRequest.findMany({ where: { userId: staff.id }, select: { id: true, status: true } });
    expect(statuses.filter((row) => row.status === 'DISMISSED')).toHaveLength(2);
    expect(statuses.find((row) => row.id === later.id)?.status).toBe('OPEN');
  } finally {
    await context.close();
  }
});

const RESOLVED_GONE = 'Not marked resolved: that request had already been resolved or dismissed';

for (const javaScriptEnabled of [true, false]) {
  test(`[PROVIDER_ADMIN] presses "Mark resolved" on a request another admin resolved meanwhile, and is told so (review r34e, JavaScript ${javaScriptEnabled ? 'on' : 'off'})`, async ({ browser }) => {
    const { agency, staff, admins } = await agencyWithAdmins();
    await db().helpRequest.create({ data: { agencyId: agency.id, userId: staff.id, message: 'Locked out again' } });
    const staleContext = await browser.newContext({ javaScriptEnabled });
    const page = await staleContext.newPage();
    const context = await browser.newContext();
    const other = await context.newPage();
    try {
      for (const [tab, admin] of [[page, admins[0]!], [other, admins[1]!]] as const) {
        await signInAsAgencyUser(tab, { providerCode: agency.code, loginName: admin.loginName, password: TEST_PASSWORD });
        await expect(tab).toHaveURL(/\/account/);
        await tab.goto('/admin/help-requests');
        await expect(tab.getByTestId('help-request')).toHaveCount(1);
      }
      await other.getByRole('button', { name: 'Mark resolved' }).click();
      await expect(other.getByText('No open requests.')).toBeVisible();

      await page.getByRole('button', { name: 'Mark resolved' }).click();
      if (javaScriptEnabled) {
        // The entry keeps its place, and the page's notices say why, as before.
        await expect(page.getByTestId('action-result')).toHaveText('That request is no longer open.');
        expect(page.url()).not.toContain('done=');
      } else {
        await expect(page).toHaveURL(/\/admin\/help-requests\?done=help-request-resolved-gone\.\d+\.[\w-]+$/);
        await expect(page.getByRole('status').filter({ hasText: RESOLVED_GONE })).toBeVisible();
        await expect(page.getByText('No open requests.')).toBeVisible();
        expect((await page.reload())?.request().method()).toBe('GET');
        await expect(page.getByRole('status').filter({ hasText: RESOLVED_GONE })).toBeVisible();
        // Signed for this admin's session: a colleague given the same address, or anyone a bare name, is told nothing.
        await other.goto(page.url());
        await expect(other.getByText('No open requests.')).toBeVisible();
        await expect(other.getByText(RESOLVED_GONE)).toHaveCount(0);
        await page.goto('/admin/help-requests?done=help-request-resolved-gone');
        await expect(page.getByText('No open requests.')).toBeVisible();
        await expect(page.getByText(RESOLVED_GONE)).toHaveCount(0);

        // Their own press, once the entry is theirs to close, says so too: the entry has left the page with its buttons.
        await db().helpRequest.create({ data: { agencyId: agency.id, userId: staff.id, message: 'Still locked out' } });
        await page.goto('/admin/help-requests');
        await page.getByRole('button', { name: 'Mark resolved' }).click();
        await expect(page).toHaveURL(/\/admin\/help-requests\?done=help-request-resolved\.\d+\.[\w-]+$/);
        await expect(page.getByRole('status').filter({ hasText: 'Marked as resolved.' })).toBeVisible();
        expect((await page.reload())?.request().method()).toBe('GET');
      }
      const handled = await db().helpRequest.findMany({ where: { userId: staff.id }, select: { status: true, handledById: true } });
      expect(handled).toContainEqual({ status: 'RESOLVED', handledById: admins[1]!.id });
      expect(handled.every((request) => request.status === 'RESOLVED')).toBe(true);
    } finally {
      await context.close();
      await staleContext.close();
    }
  });
}

test('[PROVIDER_ADMIN] without JavaScript, reaches a person asking after a hundred others: by the next page, and by their name', async ({ browser }) => {
  const { agency, staff, admins } = await agencyWithAdmins();
  const since = Date.now() - 3_600_000;
  // Strangers named a hundred real people first (the people, as plain rows: none of them signs in here).
  await db().user.createMany({
    data: Array.from({ length: INBOX_PAGE }, (_, i) => ({ agencyId: agency.id, loginName: `flooded.${i}`, loginKey: `flooded.${i}`, displayName: `Flooded ${i}`, passwordHash: staff.passwordHash })),
  });
  const flooded = await db().user.findMany({ where: { agencyId: agency.id, loginKey: { startsWith: 'flooded.' } }, select: { id: true, loginKey: true } });
  await db().helpRequest.createMany({
    data: flooded.map((user) => ({ agencyId: agency.id, userId: user.id, createdAt: new Date(since + Number(user.loginKey.split('.')[1]) * 1000) })),
  });
  await db().helpRequest.create({ data: { agencyId: agency.id, userId: staff.id, message: 'It is really me' } });
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  try {
    await signInAsAgencyUser(page, { providerCode: agency.code, loginName: admins[0]!.loginName, password: TEST_PASSWORD });
    await page.goto('/admin/help-requests');
    await expect(page.getByTestId('help-request')).toHaveCount(INBOX_PAGE);
    await expect(page.getByTestId('help-request').filter({ hasText: 'Drew Parker' })).toHaveCount(0);
    await page.getByTestId('more-people-waiting').getByRole('link', { name: `see the next ${INBOX_PAGE}` }).click();
    await expect(page).toHaveURL(/\/admin\/help-requests\?page=2$/);
    await expect(page.getByTestId('help-request')).toHaveCount(1);
    await expect(page.getByTestId('help-request')).toContainText('Drew Parker (drew.staff)');
    await expect(page.getByTestId('more-people-waiting')).toHaveCount(0);
    await page.getByRole('link', { name: 'Previous page' }).click();
    await expect(page.getByTestId('help-request')).toHaveCount(INBOX_PAGE);

    await page.getByLabel('Name or login name').fill('Parker');
    await page.getByRole('button', { name: 'Find' }).click();
    await expect(page.getByTestId('help-request')).toHaveCount(1);
    await expect(page.getByTestId('help-request').locator('blockquote')).toHaveText(['It is really me']);
  } finally {
    await context.close();
  }
});

test('[PROVIDER_ADMIN] a stranger’s one long word wraps inside its own quote: the inbox stays as wide as the window', async ({ page }) => {
  const { agency, staff, admins } = await agencyWithAdmins();
  await db().helpRequest.create({ data: { agencyId: agency.id, userId: staff.id, message: `Locked:${'W'.repeat(480)}` } });
  await page.setViewportSize({ width: 1280, height: 900 });
  await signInAsAgencyUser(page, { providerCode: agency.code, loginName: admins[0]!.loginName, password: TEST_PASSWORD });
  await page.goto('/admin/help-requests');
  await expect(page.getByTestId('help-request')).toHaveCount(1);
  const widths = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, window: window.innerWidth }));
  expect(widths.page).toBeLessThanOrEqual(widths.window);
  // Below the quote, but not pushed off to the side by it: in view once scrolled down to.
  const markResolved = page.getByRole('button', { name: 'Mark resolved' });
  await markResolved.scrollIntoViewIfNeeded();
  await expect(markResolved).toBeInViewport();
  expect(await page.evaluate(() => window.scrollX)).toBe(0);
});

test('empty fields get clear messages linked from the error summary, and what was typed stays', async ({ page }) => {
  await page.goto('/help/ask-admin');
  await page.getByLabel('Login name').fill('casey');
  await page.getByRole('button', { name: 'Send request' }).click();
  const summary = page.locator('.error-summary');
  await expect(summary).toBeFocused();
  await expect(summary.getByRole('link', { name: 'Enter your provider code or your agency’s name' })).toHaveAttribute('href', '#providerCode');
  await expect(page.getByLabel('Provider code')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByLabel('Login name')).toHaveValue('casey');
  await expect(page.getByLabel('Message (optional)')).toHaveAttribute('maxlength', '500');
});

test('the form works without JavaScript', async ({ browser }) => {
  const { agency } = await agencyWithAdmins();
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto('/help/ask-admin');
  await page.getByLabel('Provider code').fill(agency.code);
  await page.getByLabel('Login name').fill('drew.staff');
  await page.getByRole('button', { name: 'Send request' }).click();
  await expect(page).toHaveURL(/\/help\/ask-admin\/sent$/);
  await expect(page.getByRole('heading', { name: 'Request received' })).toBeVisible();
  expect(await db().helpRequest.count({ where: { agencyId: agency.id } })).toBe(1);
  await context.close();
});

// A Persian agency's name holds the non-joiner between letters ("خانه‌های": ه, U+200C, ه); typed on a
// keyboard without it, the name is the same to the person asking (reviews r36d F4, r36e F5).
const PERSIAN_NAME = 'خانه\u200Cهای مراقبت';
const NAME_HIDDEN_CHARACTER = 'Provider code or agency name contains a hidden character. Type it in rather than pasting it';

for (const javaScriptEnabled of [true, false]) {
  test.describe(`JavaScript ${javaScriptEnabled ? 'on' : 'off'}`, () => {
    test.use({ javaScriptEnabled });

    test(`[STAFF] asks by a Persian agency’s name ${javaScriptEnabled ? 'written with its non-joiner' : 'typed without its non-joiner'} and reaches that agency; a zero-width space in the name is refused and records nothing`, async ({
      page,
    }) => {
      // The suite's other tests post this form from this same address: this one starts within its limit.
      await db().rateLimitBucket.deleteMany({ where: { key: { startsWith: RATE_LIMITS.helpRequestPerAddress.name } } });
      const { agency, staff, admins } = await agencyWithAdmins(PERSIAN_NAME);
      expect(agency.name).toContain('\u0647\u200C\u0647');

      // Not writing: looks the same as the joiner, and would make two names that look alike differ.
      const hidden = agency.name.replace('\u200C', '\u200B');
      const refused = page.waitForResponse((response) => response.request().method() === 'POST' && response.url().endsWith('/help/ask-admin'));
      await sendRequest(page, { providerCode: hidden, loginName: staff.loginName });
      await expect(page.locator('.error-summary').getByRole('link', { name: NAME_HIDDEN_CHARACTER })).toHaveAttribute('href', '#providerCode');
      await expect(page.locator('#providerCode-error')).toContainText(NAME_HIDDEN_CHARACTER);
      await expect(page.getByLabel('Provider code')).toHaveAttribute('aria-invalid', 'true');
      await expect(page.getByLabel('Provider code')).toHaveValue(hidden);
      await expect(page.getByTestId('ask-admin-sent')).toHaveCount(0);
      // Refused before any agency is looked for: no request, and no audit record of one, matched or not.
      expect(await db().helpRequest.count({ where: { agencyId: agency.id } })).toBe(0);
      expect(await db().auditEvent.count({ where: { requestId: (await refused).headers()['x-request-id'] } })).toBe(0);

      const typed = javaScriptEnabled ? agency.name : agency.name.replace('\u200C', '');
      await ask(page, { providerCode: typed, loginName: staff.loginName, message: 'Locked out' });
      if (!javaScriptEnabled) await expect(page).toHaveURL(/\/help\/ask-admin\/sent$/);
      await expect(page.getByRole('heading', { name: 'Request received' })).toBeVisible();
      expect(await db().helpRequest.findMany({ where: { userId: staff.id }, select: { agencyId: true, message: true, status: true } })).toEqual([
        { agencyId: agency.id, message: 'Locked out', status: 'OPEN' },
      ]);
      const queued = await db().outboxMessage.findMany({ where: { template: 'help-request', toAddress: { in: admins.map((admin) => admin.email!) } }, select: { toAddress: true } });
      expect(queued.map((mail) => mail.toAddress).sort()).toEqual(admins.map((admin) => admin.email!).sort());
    });
  });
}

test.describe('on a 375 px phone', () => {
  test.use({ viewport: { width: 375, height: 740 } });

  test('[STAFF] who knows only the agency’s name can ask by it; a shared or unknown name gets the same page, status and nothing', async ({ page }) => {
    const { agency, staff, admins } = await agencyWithAdmins();
    const other = await agencyWithAdmins();
    const twin = await createAgency(db(), { name: `Twin Care ${uniqueSuffix()}` });
    await createAgency(db(), { name: twin.name });

    const statusOf = page.waitForResponse((response) => response.request().method() === 'POST' && response.url().endsWith('/help/ask-admin'));
    const realAnswer = await ask(page, { providerCode: `  ${agency.name.toLowerCase()} `, loginName: staff.loginName, message: 'By name' });
    const realStatus = (await statusOf).status();
    expect(await db().helpRequest.count({ where: { agencyId: agency.id } })).toBe(1);
    await waitForMail({ to: admins[0]!.email!, subjectIncludes: SUBJECT });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);

    for (const providerCode of [twin.name, 'Nowhere Care Of Any Name']) {
      const status = page.waitForResponse((response) => response.request().method() === 'POST' && response.url().endsWith('/help/ask-admin'));
      expect(await ask(page, { providerCode, loginName: staff.loginName, message: 'By name' })).toBe(realAnswer);
      expect((await status).status()).toBe(realStatus);
    }
    expect(await db().helpRequest.count({ where: { agency: { name: twin.name } } })).toBe(0);
    expect(await db().helpRequest.count({ where: { agencyId: other.agency.id } })).toBe(0);
  });
});
