import { createAgency, createUser, uniqueSuffix } from '@/prisma/factories';
import { expectNoAxeViolations } from './support/axe';
import { db, TEST_PASSWORD } from './support/data';
import { waitForMail } from './support/mailbox';
import { formWithField, multipartBody } from '@/test/support/html-form';
import { E2E_BASE_URL } from './support/env';
import { expect, test } from './support/test';
import { fileSuperAdminRequest, vendorSession } from './super-admin-support';

test('[ANONYMOUS] an empty form gets an error summary that links to each field', async ({ page }) => {
  await page.goto('/super-admin-reset');
  await page.getByRole('button', { name: 'Send request' }).click();
  const summary = page.locator('.error-summary');
  await expect(summary.getByRole('link', { name: 'Enter your provider code, for example ACME-NY' })).toHaveAttribute('href', '#providerCode');
  await expect(summary.getByRole('link', { name: 'Enter your work e-mail address' })).toHaveAttribute('href', '#workEmail');
  await expect(summary.getByRole('link', { name: 'Confirm that you are the administrator named in this request' })).toHaveAttribute('href', '#attestation');
  await expect(summary.getByRole('link')).toHaveCount(8);
  await expect(page.getByLabel('Work phone number')).toHaveAttribute('aria-invalid', 'true');
});

test('[ANONYMOUS] a bad field keeps what was typed and says what to fix', async ({ page }) => {
  await page.goto('/super-admin-reset');
  await page.getByLabel('Provider code').fill('ACME-NY');
  await page.getByLabel('Work e-mail address').fill('not an address');
  await page.getByRole('button', { name: 'Send request' }).click();
  await expect(page.locator('.error-summary').getByRole('link', { name: 'Enter an e-mail address in the correct format, like name@example.com' })).toBeVisible();
  await expect(page.getByLabel('Provider code')).toHaveValue('ACME-NY');
  await expect(page.getByLabel('Work e-mail address')).toHaveValue('not an address');
});

test('[ANONYMOUS] the answer is the same page whether or not the details match an administrator, and for a repeat', async ({ page }) => {
  const texts: string[] = [];
  for (const target of [
    { providerCode: 'ACME-NY', loginName: 'sam.super', fullName: 'Sam Rivera' },
    { providerCode: 'NO-SUCH-AGENCY', loginName: 'nobody', fullName: 'Nobody Atall' },
    { providerCode: 'ACME-NY', loginName: 'sam.super', fullName: 'Sam Rivera' },
    { providerCode: 'NO-SUCH-AGENCY', loginName: 'nobody', fullName: 'Nobody Atall' },
  ]) {
    const reference = await fileSuperAdminRequest(page, target);
    texts.push((await page.locator('main').innerText()).replace(reference, '<reference>'));
  }
  expect(texts[1]).toBe(texts[0]);
});

// Review r35c F8: a Persian keyboard types the non-joiner between letters (Shift+Space); it was refused as pasted.
test('[ANONYMOUS] a name and job title written with the non-joiner between letters are filed as typed', async ({ page }) => {
  const fullName = 'علی\u200Cرضا محمدی';
  const jobTitle = 'سرپرست بخش\u200Cها';
  const reference = await fileSuperAdminRequest(page, { providerCode: 'NO-SUCH-AGENCY', loginName: `alireza.${uniqueSuffix()}`, fullName, jobTitle });
  const submission = await db().superAdminRequestSubmission.findUniqueOrThrow({ where: { reference: reference.replace('-', '') }, include: { request: true } });
  expect(submission).toMatchObject({ fullName, jobTitle });
  expect(submission.request).toMatchObject({ fullName, jobTitle });
});

test('[ANONYMOUS] each rendering of the form carries its own key; sending one rendering twice files one request', async ({ page }) => {
  await page.goto('/super-admin-reset');
  const key = page.locator('input[type=hidden][name=idempotencyKey]');
  const first = await key.getAttribute('value');
  await page.reload();
  const second = await key.getAttribute('value');
  expect(first).toMatch(/^[A-Za-z0-9_-]{20,64}$/);
  expect(second).not.toBe(first);

  const loginName = `double.${uniqueSuffix()}`;
  await page.getByLabel('Provider code').fill('NO-SUCH-AGENCY');
  await page.getByLabel('Login name').fill(loginName);
  await page.getByLabel('Full name').fill('Double Clicker');
  await page.getByLabel('Job title').fill('Director');
  await page.getByLabel('Work e-mail address').fill('double@elsewhere.example');
  await page.getByLabel('Work phone number').fill('+1 737 555 0199');
  await page.getByLabel('Why can no other administrator reset your password?').fill('I am our only administrator and I am locked out.');
  await page.getByLabel(/I am the administrator named above/).check();
  // Two submits of the same rendering, as a double click or a resend after a network error gives.
  await page.evaluate(() => {
    const form = document.querySelector<HTMLFormElement>('form:has(input[name=idempotencyKey])')!;
    form.requestSubmit();
    form.requestSubmit();
  });
  await expect(page).toHaveURL(/\/super-admin-reset\/submitted\?done=submitted-/);
  const reference = (await page.getByTestId('reference').innerText()).trim();
  const submissions = await db().superAdminRequestSubmission.findMany({ where: { idempotencyKey: second! } });
  expect(submissions.map((s) => s.reference)).toEqual([reference.replace('-', '')]);
});

test('[ANONYMOUS] can look up the state of a request with its reference and login name, and learns nothing from a wrong pair', async ({ page }) => {
  const reference = await fileSuperAdminRequest(page, { providerCode: 'NOT-REAL', loginName: 'status.checker' });
  // The page shows a reference only as the filing signed it there: not one of someone else's choosing, nor this one forged.
  const filedPage = page.url();
  for (const forged of ['/super-admin-reset/submitted?reference=ATTAC-KER00', filedPage.replace(/-[0-9A-Z]{10}\./, '-ATTACKER00.')]) {
    await page.goto(forged);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Request received');
    await expect(page.getByTestId('reference')).toHaveCount(0);
  }
  await page.goto(filedPage);
  await expect(page.getByTestId('reference')).toHaveText(reference);
  await page.getByRole('link', { name: 'Check the state of your request' }).click();
  await page.getByLabel('Reference number').fill(reference.toLowerCase());
  await page.getByLabel('Login name').fill('Status.Checker');
  await page.getByRole('button', { name: 'Check the state' }).click();
  await expect(page.getByRole('heading', { name: 'Received' })).toBeVisible();

  await page.getByLabel('Reference number').fill(reference);
  await page.getByLabel('Login name').fill('someone.else');
  await page.getByRole('button', { name: 'Check the state' }).click();
  await expect(page.locator('.error-summary')).toContainText('We could not find a request with that reference number and login name.');
});

test('[ADMIN on record] “this wasn’t me” from the mailed notice cancels the request, and the verifiers see why', async ({ page, browser }) => {
  const suffix = uniqueSuffix();
  const agency = await createAgency(db(), { name: `Canary Care ${suffix}` });
  const admin = await createUser(db(), agency.id, TEST_PASSWORD, { role: 'SUPER_ADMIN', displayName: 'Cara Nary', email: `cara.${suffix}@canary.example` });
  const reference = await fileSuperAdminRequest(page, { providerCode: agency.code, loginName: admin.loginName, fullName: 'Cara Nary' });

  const notice = await waitForMail({ to: admin.email!, subjectIncludes: 'reset your administrator password' });
  const cancelLink = notice.links.find((link) => link.includes('/super-admin-reset/cancel/'))!;
  const response = await page.goto(cancelLink);
  expect(response?.headers()['referrer-policy']).toBe('no-referrer');
  expect(response?.headers()['cache-control']).toContain('no-store');
  await expect(page.getByRole('heading', { name: 'Cancel this password reset request?' })).toBeVisible();
  await expect(page.getByText(reference)).toBeVisible();
  await page.getByRole('button', { name: 'Cancel this request' }).click();
  // It names the request, so a cancelled page someone else reached for their own request and sent on does not pass for this one.
  await expect(page.getByRole('status')).toContainText(`Request ${reference} is cancelled.`);
  // An impostor's link to that page, unsigned, does not reassure the admin: it says to use the notice's link.
  const cancelledPage = page.url();
  await page.goto('/super-admin-reset/cancelled');
  await expect(page.getByRole('heading', { name: 'Cancel a request' })).toBeVisible();
  await expect(page.getByText(/is cancelled\./)).toHaveCount(0);
  await page.goto(cancelledPage.replace(/\.[\w-]+$/, '.forged'));
  await expect(page.getByText(/is cancelled\./)).toHaveCount(0);
  await page.goto(cancelLink);
  await expect(page.getByRole('heading', { name: 'This link no longer works' })).toBeVisible();

  const vera = await vendorSession(browser, 'vera.verifier@carenotes.example');
  await vera.page.goto(`/vendor/queue?view=closed&q=${reference}`);
  await vera.page.getByRole('link', { name: reference }).click();
  await expect(vera.page.getByTestId('state')).toHaveText('Cancelled (“this wasn’t me”)');
  await expect(vera.page.getByText(/Cancelled with the “this wasn’t me” link/).first()).toBeVisible();
  await vera.close();
});

test('[ANONYMOUS] an unknown reset link gets the one clear message, not cached and not a referrer source', async ({ page }) => {
  const response = await page.goto(`/reset/${'x'.repeat(43)}`);
  expect(response?.status()).toBe(200);
  expect(response?.headers()['referrer-policy']).toBe('no-referrer');
  expect(response?.headers()['cache-control']).toContain('no-store');
  await expect(page.getByRole('heading', { name: 'This link cannot be used' })).toBeVisible();
  await expect(page.getByLabel('New password')).toHaveCount(0);
});

test('[ANONYMOUS and VERIFIER] the form with errors, the status page and a request page pass an accessibility check', async ({ page, browser }) => {
  test.setTimeout(90_000);
  await page.goto('/super-admin-reset');
  await page.getByRole('button', { name: 'Send request' }).click();
  await page.locator('.error-summary').waitFor();
  await expectNoAxeViolations(page);
  await page.goto('/super-admin-reset/status');
  await expectNoAxeViolations(page);

  const reference = await fileSuperAdminRequest(page, { providerCode: 'NOT-REAL', loginName: 'axe.check' });
  const vera = await vendorSession(browser, 'vera.verifier@carenotes.example');
  await vera.page.goto(`/vendor/queue?q=${reference}`);
  await expectNoAxeViolations(vera.page);
  await vera.page.getByRole('link', { name: reference }).click();
  await vera.page.getByRole('button', { name: 'Claim this request' }).click();
  await expect(vera.page.getByRole('status')).toHaveText('You are working this request.');
  await expectNoAxeViolations(vera.page);
  await vera.close();
});

test('[ANONYMOUS] a status look-up that leaves a field out, as no browser does, is told what an empty one is: the portal’s words, not a parser’s (review r41g F3)', async ({ page }) => {
  const { action, hidden } = formWithField(await (await page.request.get('/super-admin-reset/status')).text(), 'reference');
  const { body, type } = multipartBody([...hidden, ['reference', '7K3QZ-M4T9P']]);
  const answer = await page.request.post(action || '/super-admin-reset/status', { headers: { origin: E2E_BASE_URL, 'content-type': type, accept: 'text/html' }, data: Buffer.from(body) });
  const html = await answer.text();
  expect(answer.status()).toBe(200);
  expect(html).toContain('There is a problem with what you entered.');
  expect(html).toContain('Enter your login name');
  expect(html).not.toContain('Invalid input');
});

test('[ANONYMOUS] on a shared computer, Back to a form sent without JavaScript gives the next person none of the free text written in it (review r52c F1)', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  try {
    const reason = `Only administrator, locked out ${uniqueSuffix()}`;
    await fileSuperAdminRequest(page, { providerCode: 'NO-SUCH-AGENCY', loginName: 'shared.computer', reason });
    await page.goto('/help');
    await page.goBack();
    await page.goBack();
    await expect(page).toHaveURL(/\/super-admin-reset$/);
    // The browser does give back what it may keep (so this test sees a restore at all), but no free text.
    await expect(page.getByLabel('Login name')).toHaveValue('shared.computer');
    await expect(page.getByLabel('Why can no other administrator reset your password?')).toHaveValue('');
  } finally {
    await context.close();
  }
});
