import { db } from './support/data';
import { expect, signInAsVendor, test } from './support/test';
import { DEMO_PASSWORD } from '@/prisma/seed';

// Until the mail worker lands, mail is read from the outbox: the link is taken from the message
// the subscriber would receive, never built from the database.
async function mailsTo(address: string, template?: string) {
  return db().outboxMessage.findMany({ where: { toAddress: address, ...(template ? { template } : {}) }, orderBy: { createdAt: 'asc' } });
}

function linkIn(text: string, path: string): string {
  const match = new RegExp(`https?://\\S+${path.replace(/\//g, '\\/')}\\?\\S+`).exec(text);
  if (!match) throw new Error(`no ${path} link in the mail`);
  return match[0];
}

test('[ANONYMOUS] subscribes, confirms from the mail, gets one alert per incident, and one click stops them', async ({ page }) => {
  const address = `alerts.${Date.now().toString(36)}@example.com`;
  await page.goto('/status');
  await page.getByLabel('E-mail address').fill(address);
  await page.getByRole('button', { name: 'Get alerts by e-mail' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Check your e-mail' })).toBeVisible();

  const [confirmation] = await mailsTo(address, 'status-subscription-confirm');
  expect(confirmation).toBeDefined();
  await page.goto(linkIn(confirmation!.textBody, '/status/subscribe/confirm'));
  await page.getByRole('button', { name: 'Confirm my subscription' }).click();
  await expect(page.getByRole('heading', { name: 'You will get status alerts' })).toBeVisible();

  // Subscribing again gives the same answer and sends nothing new to a confirmed address.
  await page.goto('/status');
  await page.getByLabel('E-mail address').fill(address);
  await page.getByRole('button', { name: 'Get alerts by e-mail' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Check your e-mail' })).toBeVisible();
  expect(await mailsTo(address, 'status-subscription-confirm')).toHaveLength(1);

  const title = `Mobile sync delayed ${Date.now().toString(36)}`;
  await signInAsVendor(page, { email: 'otto.operator@carenotes.example', password: DEMO_PASSWORD });
  await expect(page).toHaveURL(/\/vendor$/);
  await page.goto('/vendor/status');
  const form = page.locator('form').filter({ has: page.getByRole('button', { name: 'Open incident' }) });
  await form.getByLabel('Title').fill(title);
  await form.getByLabel('Mobile app').check();
  await form.getByLabel('First update').fill('Notes written on phones reach the office late.');
  await form.getByRole('button', { name: 'Open incident' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'opened' })).toBeVisible();

  const alerts = await mailsTo(address, 'status-incident-opened');
  expect(alerts).toHaveLength(1);
  expect(alerts[0]!.subject).toBe(`[CareNotes status] Incident: ${title}`);
  const headers = JSON.parse(alerts[0]!.headers!);
  expect(headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
  const unsubscribe = linkIn(alerts[0]!.textBody, '/status/unsubscribe');
  expect(headers['List-Unsubscribe']).toBe(`<${unsubscribe}>`);

  await page.goto(unsubscribe);
  await expect(page.getByRole('heading', { name: 'You will get no more status alerts' })).toBeVisible();

  const card = page.locator('div', { has: page.getByRole('heading', { name: title }) }).last();
  await page.goto('/vendor/status');
  await card.getByLabel('New state').selectOption({ label: 'Resolved' });
  await card.getByLabel('Update').fill('All caught up.');
  await card.getByRole('button', { name: 'Post update' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'resolved' })).toBeVisible();
  expect(await mailsTo(address, 'status-incident-resolved')).toHaveLength(0);
  expect(await mailsTo(address)).toHaveLength(2);
});

test('[ANONYMOUS] a mail program’s one-click POST unsubscribes, and a forged link does nothing', async ({ page }) => {
  const address = `oneclick.${Date.now().toString(36)}@example.com`;
  const subscriber = await db().statusSubscriber.create({ data: { email: address, emailKey: address, confirmedAt: new Date() } });
  const { subscriptionPath } = await import('@/lib/status/subscription-token');
  const path = subscriptionPath(subscriber.id, 'unsubscribe');

  const forged = await page.request.post(path.replace(/t=[^&]+/, 't=forged'), { form: { 'List-Unsubscribe': 'One-Click' } });
  expect(forged.status()).toBe(400);
  expect((await db().statusSubscriber.findUniqueOrThrow({ where: { id: subscriber.id } })).unsubscribedAt).toBeNull();

  const response = await page.request.post(path, { form: { 'List-Unsubscribe': 'One-Click' } });
  expect(response.status()).toBe(200);
  expect(response.headers()['cache-control']).toBe('no-store');
  expect((await db().statusSubscriber.findUniqueOrThrow({ where: { id: subscriber.id } })).unsubscribedAt).not.toBeNull();
});
