import type { Page } from '@playwright/test';
import { simpleParser } from 'mailparser';
import { DEMO_PASSWORD } from '@/prisma/seed';
import { db } from './support/data';
import { findMail, waitForMail, type DeliveredMail } from './support/mailbox';
import { expect, signInAsVendor, test } from './support/test';

/**
 * Runs the periodic round rather than wait on the clock, until every fan-out is recorded finished: one the server's
 * own fan-out holds (after its response) is left to it, so the round alone may return before the alerts are queued.
 */
async function finishAlertFanOuts() {
  const { runStatusRound } = await import('@/lib/maintenance/maintenance-announcer');
  await expect
    .poll(
      async () => {
        await runStatusRound(db());
        return db().statusAlertFanOut.count({ where: { finishedAt: null } });
      },
      // Well within the test's own time, so a fan-out stuck under a lease says so here.
      { timeout: 25_000 },
    )
    .toBe(0);
}

// Mail is read back from the real SMTP server the e2e app delivers to, and links are followed
// from the delivered message, never built from the database.
async function unsubscribeHeaders(mail: DeliveredMail) {
  const list = (await simpleParser(mail.raw)).headers.get('list') as { unsubscribe?: { url?: string }; 'unsubscribe-post'?: { name?: string } };
  return { url: list?.unsubscribe?.url, post: list?.['unsubscribe-post']?.name };
}

const linkTo = (mail: DeliveredMail, path: string) => {
  const link = mail.links.find((l) => new URL(l).pathname === path);
  if (!link) throw new Error(`no ${path} link in "${mail.subject}"`);
  return link;
};

async function subscribe(page: Page, address: string) {
  await page.goto('/status');
  await page.getByLabel('E-mail address').fill(address);
  await page.getByRole('button', { name: 'Get alerts by e-mail' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Check your e-mail' })).toBeVisible();
}

test('[ANONYMOUS] subscribes, confirms from the mail, gets one alert per incident, and one click stops them', async ({ page }) => {
  const stamp = Date.now().toString(36);
  const address = `alerts.${stamp}@example.com`;
  await subscribe(page, address);
  const confirmation = await waitForMail({ to: address, subjectIncludes: 'Confirm your CareNotes status alerts' });
  await page.goto(linkTo(confirmation, '/status/subscribe/confirm'));
  await page.getByRole('button', { name: 'Confirm my subscription' }).click();
  await expect(page.getByRole('heading', { name: 'You will get status alerts' })).toBeVisible();

  // Subscribing again gives the same answer; a confirmed address gets no second confirmation.
  await subscribe(page, address);
  // A second subscriber who stays, to show that the alert after the unsubscribe did go out.
  const control = `control.${stamp}@example.com`;
  await db().statusSubscriber.create({ data: { email: control, emailKey: control, confirmedAt: new Date() } });

  const title = `Mobile sync delayed ${stamp}`;
  await signInAsVendor(page, { email: 'otto.operator@carenotes.example', password: DEMO_PASSWORD });
  await expect(page).toHaveURL(/\/vendor$/);
  await page.goto('/vendor/status');
  const form = page.locator('form').filter({ has: page.getByRole('button', { name: 'Open incident' }) });
  await form.getByLabel('Title').fill(title);
  await form.getByLabel('Mobile app').check();
  await form.getByLabel('First update').fill('Notes written on phones reach the office late.');
  await form.getByRole('button', { name: 'Open incident' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'opened' })).toBeVisible();

  // The fan-out runs after the response; the periodic round finishes any not yet done, and queues nothing twice.
  await finishAlertFanOuts();
  const alert = await waitForMail({ to: address, subjectIncludes: title });
  expect(alert.subject).toBe(`[CareNotes status] Incident: ${title}`);
  expect(alert.text).toContain('Investigating: Notes written on phones reach the office late.');
  const unsubscribe = linkTo(alert, '/status/unsubscribe');
  expect(await unsubscribeHeaders(alert)).toEqual({ url: unsubscribe, post: 'List-Unsubscribe=One-Click' });
  expect(alert.raw).not.toContain(control);

  // Opening the link (as a mail scanner does) only asks; the button stops the alerts.
  const subscriber = await db().statusSubscriber.findUniqueOrThrow({ where: { emailKey: address } });
  const opened = await page.goto(unsubscribe);
  expect(opened!.status()).toBe(200);
  await expect(page.getByRole('heading', { name: 'Stop status alerts?' })).toBeVisible();
  expect((await db().statusSubscriber.findUniqueOrThrow({ where: { id: subscriber.id } })).unsubscribedAt).toBeNull();
  await page.getByRole('button', { name: 'Stop status alerts' }).click();
  await expect(page.getByRole('heading', { name: 'You will get no more status alerts' })).toBeVisible();
  expect((await db().statusSubscriber.findUniqueOrThrow({ where: { id: subscriber.id } })).unsubscribedAt).not.toBeNull();

  await page.goto('/vendor/status');
  const card = page.locator('div', { has: page.getByRole('heading', { name: title }) }).last();
  await card.getByLabel('New state').selectOption({ label: 'Resolved' });
  await card.getByLabel('Update').fill('All caught up.');
  await card.getByRole('button', { name: 'Post update' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'resolved' })).toBeVisible();

  await finishAlertFanOuts();
  await waitForMail({ to: control, subjectIncludes: `Resolved: ${title}` });
  expect(await db().outboxMessage.count({ where: { toAddress: address, template: 'status-incident-resolved' } })).toBe(0);
  const received = await findMail({ to: address });
  expect(received.map((m) => m.subject)).toEqual(['Confirm your CareNotes status alerts', `[CareNotes status] Incident: ${title}`]);
});

test('[ANONYMOUS] a mail program’s one-click POST unsubscribes, and a forged link does nothing', async ({ page }) => {
  const address = `oneclick.${Date.now().toString(36)}@example.com`;
  const subscriber = await db().statusSubscriber.create({ data: { email: address, emailKey: address, confirmedAt: new Date() } });
  const { unsubscribePath } = await import('@/lib/status/subscription-token');
  const path = unsubscribePath(subscriber.id);

  // A scanner fetching the link gets sent to the page that asks; nothing changes.
  const fetched = await page.request.get(path, { maxRedirects: 0 });
  expect(fetched.status()).toBe(303);
  expect(fetched.headers()['location']).toBe(`/status/stop-alerts?${new URL(path, 'http://x').searchParams}`);
  expect((await db().statusSubscriber.findUniqueOrThrow({ where: { id: subscriber.id } })).unsubscribedAt).toBeNull();

  const forged = await page.request.post(path.replace(/t=[^&]+/, 't=forged'), { form: { 'List-Unsubscribe': 'One-Click' } });
  expect(forged.status()).toBe(400);
  expect((await db().statusSubscriber.findUniqueOrThrow({ where: { id: subscriber.id } })).unsubscribedAt).toBeNull();

  // Only the one-click POST itself passes cross-site: the same path as a router request (".rsc"
  // makes one) is refused at the edge, as every posted router request is; as an action request it is
  // a page's, refused like any other cross-site post.
  for (const [spelling, headers, status] of [
    [path.replace('/status/unsubscribe', '/status/unsubscribe.rsc'), {}, 400],
    [path, { RSC: '1' }, 400],
    [path, { 'Next-Action': '7f'.padEnd(42, '0') }, 403],
  ] as const) {
    const refused = await page.request.post(spelling, { form: { 'List-Unsubscribe': 'One-Click' }, headers: { Origin: 'https://mail.example.net', ...headers } });
    expect(refused.status(), `${spelling} ${JSON.stringify(headers)}`).toBe(status);
  }
  expect((await db().statusSubscriber.findUniqueOrThrow({ where: { id: subscriber.id } })).unsubscribedAt).toBeNull();

  // As a mail provider's server sends it: cross-site, no cookies, no Origin of ours.
  const response = await page.request.post(path, { form: { 'List-Unsubscribe': 'One-Click' }, headers: { Origin: 'https://mail.example.net' } });
  expect(response.status()).toBe(200);
  expect(response.headers()['cache-control']).toBe('no-store');
  expect((await db().statusSubscriber.findUniqueOrThrow({ where: { id: subscriber.id } })).unsubscribedAt).not.toBeNull();
});

test('[ANONYMOUS] a one-click POST laid out as any RFC 7578 multipart body unsubscribes, not only as a browser lays it out (review r41a F1)', async ({ page }) => {
  const { unsubscribePath } = await import('@/lib/status/subscription-token');
  const boundary = '----=_Part_0_12345.67890';
  const field = 'One-Click';
  const layouts: Record<string, string> = {
    'a part with its own Content-Type': `--${boundary}\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n${field}\r\n--${boundary}--\r\n`,
    'a Content-Transfer-Encoding': `--${boundary}\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\nContent-Transfer-Encoding: 8bit\r\n\r\n${field}\r\n--${boundary}--\r\n`,
    'a preamble before the first boundary': `\r\n--${boundary}\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\n${field}\r\n--${boundary}--\r\n`,
    'an unquoted name': `--${boundary}\r\nContent-Disposition: form-data; name=List-Unsubscribe\r\n\r\n${field}\r\n--${boundary}--\r\n`,
    'bare line feeds': `--${boundary}\nContent-Disposition: form-data; name="List-Unsubscribe"\n\n${field}\n--${boundary}--\n`,
  };
  for (const [layout, body] of Object.entries(layouts)) {
    const address = `layout.${Date.now().toString(36)}.${Math.random().toString(36).slice(2, 8)}@example.com`;
    const subscriber = await db().statusSubscriber.create({ data: { email: address, emailKey: address, confirmedAt: new Date() } });
    const response = await page.request.post(unsubscribePath(subscriber.id), {
      headers: { Origin: 'https://mail.example.net', 'Content-Type': `multipart/form-data; boundary="${boundary}"` },
      data: Buffer.from(body),
    });
    expect([response.status(), await response.text()], layout).toEqual([200, 'Unsubscribed.\n']);
    expect((await db().statusSubscriber.findUniqueOrThrow({ where: { id: subscriber.id } })).unsubscribedAt, layout).not.toBeNull();
  }
});

test('[ANONYMOUS] a confirm link older than 7 days says plainly that it expired; the periodic round removes the row, and the link still says so', async ({ page }) => {
  const address = `late.${Date.now().toString(36)}@example.com`;
  const eightDaysAgo = new Date(Date.now() - 8 * 86_400_000);
  const subscriber = await db().statusSubscriber.create({ data: { email: address, emailKey: address, confirmationSentAt: eightDaysAgo } });
  const { confirmPath } = await import('@/lib/status/subscription-token');

  await page.goto(confirmPath(subscriber.id, eightDaysAgo));
  await expect(page.getByRole('status')).toContainText('This link has expired: a confirmation link works for 7 days. Subscribe again on the status page to get a new one.');
  await expect(page.getByRole('link', { name: 'Subscribe again' })).toHaveAttribute('href', '/status#subscribe');
  await expect(page.getByRole('button', { name: 'Confirm my subscription' })).toHaveCount(0);

  // The server's own round may come first on a slow machine: either way the row goes.
  const { runStatusRound } = await import('@/lib/maintenance/maintenance-announcer');
  await runStatusRound(db());
  expect(await db().statusSubscriber.findUnique({ where: { id: subscriber.id } })).toBeNull();
  await page.reload();
  await expect(page.getByRole('status')).toContainText('This link has expired');
});

// An address in another script on both sides of the @ (SMTPUTF8, RFC 6531; lib/validation/email-address.ts):
// the form takes it, the confirmation is sent to it as typed (asking the server for SMTPUTF8), and its link confirms.
for (const [javaScriptEnabled, name, domain] of [
  [true, 'jürgen', '例え.テスト'],
  [false, 'δοκιμή', 'παράδειγμα.δοκιμή'],
] as const) {
  test.describe(`JavaScript ${javaScriptEnabled ? 'on' : 'off'}`, () => {
    test.use({ javaScriptEnabled });

    test(`[ANONYMOUS] subscribes with an internationalised address (${name}@${domain}), gets the confirmation at it, and confirms from the mail`, async ({ page }) => {
      const address = `${name}.${Date.now().toString(36)}@${domain}`;
      await page.goto('/status');
      await page.getByLabel('E-mail address').fill(address);
      await page.getByRole('button', { name: 'Get alerts by e-mail' }).click();
      if (!javaScriptEnabled) await expect(page).toHaveURL(/\/status\/subscribe\/requested$/);
      await expect(page.getByRole('status').filter({ hasText: 'Check your e-mail' })).toBeVisible();

      const confirmation = await waitForMail({ to: address, subjectIncludes: 'Confirm your CareNotes status alerts' });
      expect(confirmation.envelope).toEqual({ rcptTo: [address], smtpUtf8: true });
      await page.goto(linkTo(confirmation, '/status/subscribe/confirm'));
      await page.getByRole('button', { name: 'Confirm my subscription' }).click();
      await expect(page.getByRole('heading', { name: 'You will get status alerts' })).toBeVisible();
      expect(await db().statusSubscriber.findFirstOrThrow({ where: { email: address } })).toMatchObject({ confirmedAt: expect.any(Date), unsubscribedAt: null });
    });
  });
}
