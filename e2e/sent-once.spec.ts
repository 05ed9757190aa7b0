// A form that creates something, sent twice the way a browser without JavaScript does on a double
// click (the same rendering posted twice, here both at once): the work is done once (lib/http/sent-once.ts).
import { DEMO_PASSWORD } from '@/prisma/seed';
import { formWithField, multipartBody } from '@/test/support/html-form';
import { db, newMemberOfDemoAgency } from './support/data';
import { E2E_BASE_URL } from './support/env';
import { expect, signInAsVendor, test } from './support/test';

const OPERATOR = { email: 'otto.operator@carenotes.example', password: DEMO_PASSWORD };

test('[STAFF] "Ask my administrators" sent twice at once without JavaScript asks once; each visit to the page is a new form', async ({ request }) => {
  const { agency, user } = await newMemberOfDemoAgency('acme-ny');
  const page = async () => (await request.get('/help/ask-admin', { headers: { accept: 'text/html' } })).text();
  const [first, second] = [await page(), await page()];
  const keyOf = (html: string) => formWithField(html, 'providerCode').hidden.find(([name]) => name === 'formKey')?.[1];
  expect(keyOf(first)).toMatch(/^[A-Za-z0-9_-]{24}$/);
  // Rendered per visit, not once at the build: two people never share a key.
  expect(keyOf(second)).not.toBe(keyOf(first));

  const form = formWithField(first, 'providerCode');
  const { body, type } = multipartBody([...form.hidden, ['providerCode', agency.code], ['loginName', user.loginName], ['message', 'Locked out after leave']]);
  const post = () => request.post(form.action || '/help/ask-admin', { headers: { 'content-type': type, origin: E2E_BASE_URL }, data: body, maxRedirects: 0 });
  const answers = await Promise.all([post(), post()]);
  // Each copy gets the answer the first got: the page saying the request was received.
  expect(answers.map((answer) => [answer.status(), answer.headers().location])).toEqual([
    [303, '/help/ask-admin/sent'],
    [303, '/help/ask-admin/sent'],
  ]);
  expect(await db().helpRequest.count({ where: { userId: user.id } })).toBe(1);
  expect(await db().auditEvent.count({ where: { targetId: user.id, action: 'HELP_REQUEST_CREATED' } })).toBe(1);
});

test('[OPERATOR] with JavaScript, a second update posted from the same page without reloading is a second update: the page brings a new key', async ({ page }) => {
  const title = `Queue slow ${Date.now().toString(36)}`;
  await signInAsVendor(page, OPERATOR);
  await page.goto('/vendor/status');
  const opening = page.locator('form').filter({ has: page.getByRole('button', { name: 'Open incident' }) });
  await opening.getByLabel('Title').fill(title);
  await opening.getByLabel('Documentation').check();
  await opening.getByLabel('First update').fill('Looking into it.');
  await opening.getByRole('button', { name: 'Open incident' }).click();
  await expect(page.getByRole('status').filter({ hasText: `Incident "${title}" opened.` })).toBeVisible();

  const card = page.locator('div', { has: page.getByRole('heading', { name: title }) }).last();
  for (const words of ['Found the cause.', 'Fix on its way.']) {
    await card.getByLabel('Update').fill(words);
    await card.getByRole('button', { name: 'Post update' }).click();
    await expect(card.getByText(words)).toBeVisible();
  }
  const incident = await db().incident.findFirstOrThrow({ where: { title }, include: { updates: true } });
  expect(incident.updates.map((update) => update.message).sort()).toEqual(['Fix on its way.', 'Found the cause.', 'Looking into it.']);
  await db().incident.update({ where: { id: incident.id }, data: { resolvedAt: new Date(), status: 'RESOLVED' } });
});
