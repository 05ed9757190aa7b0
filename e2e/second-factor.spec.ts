import type { Browser, Page } from '@playwright/test';
import { totpCodeFor, totpStep } from '@/lib/mfa/totp';
import { VENDOR_POLICY } from '@/lib/policy/agency-policy';
import { createAgency, createUser, uniqueSuffix } from '@/prisma/factories';
import { formWithField, multipartBody } from '@/test/support/html-form';
import { expectNoAxeViolations } from './support/axe';
import { db, TEST_PASSWORD } from './support/data';
import { E2E_BASE_URL } from './support/env';
import { addAppForm, ensureTotpFactor, nextTotpCode, type FactorOwner } from './support/second-factor';
import { completeSecondFactor, expect, signInAsAgencyUser, signInAsVendor, submitAgencySignIn, test } from './support/test';

async function newAdmin(role: 'STAFF' | 'PROVIDER_ADMIN' | 'SUPER_ADMIN' = 'PROVIDER_ADMIN') {
  const agency = await createAgency(db());
  const user = await createUser(db(), agency.id, TEST_PASSWORD, { role, loginName: `mfa.${uniqueSuffix()}`, email: `mfa.${uniqueSuffix()}@example.test` });
  return { agency, user, creds: { providerCode: agency.code, loginName: user.loginName, password: TEST_PASSWORD } };
}

/** A provider admin with an authenticator app, whose password is a temporary one an hour from expiry. */
async function newAdminWithTemporaryPassword(temporary: string) {
  const agency = await createAgency(db());
  const user = await createUser(db(), agency.id, temporary, { role: 'PROVIDER_ADMIN', loginName: `mfa.${uniqueSuffix()}` }, { expiresAt: new Date(Date.now() + 3600_000) });
  await ensureTotpFactor({ userId: user.id });
  return { user, creds: { providerCode: agency.code, loginName: user.loginName, password: temporary } };
}

/** What the app would show now for the secret typed off the page. */
async function codeFromPage(page: Page, offset = 0) {
  const secret = (await page.getByTestId('totp-secret').textContent())!.replace(/\s/g, '');
  return totpCodeFor(secret, totpStep(new Date()) + offset);
}

test('[STAFF] adds an authenticator app without JavaScript, and is shown the recovery codes once', async ({ browser }) => {
  const agency = await createAgency(db());
  const user = await createUser(db(), agency.id, TEST_PASSWORD, { loginName: `nojs.${uniqueSuffix()}` });
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  try {
    await signInAsAgencyUser(page, { providerCode: agency.code, loginName: user.loginName, password: TEST_PASSWORD });
    await page.goto('/account/security');
    await page.getByLabel('Name for this app').fill('Desk phone');
    await addAppForm(page).getByLabel('Your password').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Add an authenticator app' }).click();
    await page.getByLabel('The 6-digit code your app shows').fill(await codeFromPage(page));
    await page.getByRole('button', { name: 'Confirm' }).click();
    await expect(page.getByTestId('recovery-codes').getByRole('listitem')).toHaveCount(10);
    await expect(page.getByRole('link', { name: 'I have saved my recovery codes' })).toBeVisible();
    expect(await db().mfaFactor.count({ where: { userId: user.id, confirmedAt: { not: null } } })).toBe(1);
    // A reload of that answer sends "Confirm" again: it says the app was added, not "Start again" beside it (review r38b F1).
    const answer = await page.reload();
    expect(answer?.request().method()).toBe('POST');
    await expect(page.getByRole('status').filter({ hasText: 'This authenticator app was added already, from this page.' })).toBeVisible();
    await expect(page.getByText('Start again')).toHaveCount(0);
    await expect(page.getByTestId('recovery-codes')).toHaveCount(0);
    expect(await db().mfaFactor.count({ where: { userId: user.id, confirmedAt: { not: null } } })).toBe(1);
    expect(await db().auditEvent.count({ where: { targetId: user.id, action: 'SECOND_FACTOR_ADDED' } })).toBe(1);
    // Shown once: opening the page again shows the factor, not the codes.
    await page.goto('/account/security');
    await expect(page.getByRole('cell', { name: 'Desk phone' })).toBeVisible();
    await expect(page.getByTestId('recovery-codes')).toHaveCount(0);
  } finally {
    await context.close();
  }
});

for (const javaScriptEnabled of [true, false]) {
  test(`[PROVIDER_ADMIN] signed out on a console page, signs in and lands back on it after the code (JavaScript ${javaScriptEnabled ? 'on' : 'off'})`, async ({ browser }) => {
    const { user, creds } = await newAdmin();
    await ensureTotpFactor({ userId: user.id });
    const context = await browser.newContext({ javaScriptEnabled });
    const page = await context.newPage();
    try {
      await page.goto('/admin/help-requests');
      await expect(page).toHaveURL(/\/login\?callbackUrl=/);
      await submitAgencySignIn(page, creds);
      await expect(page.getByRole('heading', { name: 'Confirm it is you' })).toBeVisible();
      await page.getByLabel('Code', { exact: true }).fill(await nextTotpCode({ userId: user.id }));
      await page.getByRole('button', { name: 'Continue' }).click();
      await expect(page).toHaveURL(/\/admin\/help-requests$/);
    } finally {
      await context.close();
    }
  });
}

/**
 * A code step sent twice without JavaScript (a double click), and a third copy late: where each lands. `sends`: the
 * callbackUrl the copies carry, set by hand (the vendor's sign-in takes none from the page it was sent from); to a
 * page the account's role does not open, they land on the role's home.
 */
const CODE_STEP_COPIES = [
  { role: 'PROVIDER_ADMIN', opens: '/admin/help-requests', lands: '/admin/help-requests' },
  { role: 'STAFF', opens: '/account/security', sends: '/admin/help-requests', lands: '/account' },
  { role: 'VERIFIER', opens: '/vendor/queue', sends: '/vendor/queue', lands: '/vendor/queue' },
  { role: 'VERIFIER', opens: '/vendor/queue', sends: '/vendor/status', lands: '/vendor' },
] as const;

for (const copies of CODE_STEP_COPIES) {
  const sends = 'sends' in copies ? `, sent by hand to ${copies.sends}` : '';
  test(`[${copies.role} without JavaScript] whose code is sent twice (a double click) lands on ${copies.lands} from either copy, at once or late${sends} (review r41j F1)`, async ({ browser, playwright }) => {
    const vendor = copies.role === 'VERIFIER';
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    try {
      let owner: FactorOwner;
      await page.goto(copies.opens);
      if (vendor) {
        const { createVendorAccount } = await import('@/prisma/factories');
        const account = await createVendorAccount(db(), 'VERIFIER', TEST_PASSWORD);
        owner = { vendorAccountId: account.id };
        await ensureTotpFactor(owner);
        await page.getByLabel('Work e-mail address').fill(account.email);
        await page.getByLabel('Password', { exact: true }).fill(TEST_PASSWORD);
        await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      } else {
        const { user, creds } = await newAdmin(copies.role === 'STAFF' ? 'STAFF' : 'PROVIDER_ADMIN');
        owner = { userId: user.id };
        await ensureTotpFactor(owner);
        await submitAgencySignIn(page, creds);
      }
      await expect(page.getByRole('heading', { name: 'Confirm it is you' })).toBeVisible();
      // The step's form as the browser would send it, twice, with the pending session's cookie.
      const form = formWithField(await page.content(), 'code');
      const hidden = form.hidden.filter(([name]) => !('sends' in copies && name === 'callbackUrl'));
      const fields: [string, string][] = [...hidden, ...('sends' in copies ? [['callbackUrl', copies.sends] as [string, string]] : []), ['code', await nextTotpCode(owner)]];
      const { body, type } = multipartBody(fields);
      const post = () => context.request.post(form.action || page.url(), { headers: { 'content-type': type, origin: E2E_BASE_URL, accept: 'text/html' }, data: body, maxRedirects: 0 });
      const pendingCookies = (await context.cookies()).map((cookie) => `${cookie.name}=${cookie.value}`).join('; ');
      const answers = await Promise.all([post(), post()]);
      expect(answers.map((answer) => [answer.status(), answer.headers().location])).toEqual([
        [303, copies.lands],
        [303, copies.lands],
      ]);
      // A copy that comes once the first has signed in, and ended the pending session its cookie names, goes there too.
      const late = await playwright.request.newContext({ baseURL: E2E_BASE_URL, extraHTTPHeaders: { cookie: pendingCookies } });
      try {
        const answer = await late.post(form.action || page.url(), { headers: { 'content-type': type, origin: E2E_BASE_URL, accept: 'text/html' }, data: body, maxRedirects: 0 });
        expect([answer.status(), answer.headers().location]).toEqual([303, copies.lands]);
      } finally {
        await late.dispose();
      }
      const target = 'userId' in owner ? owner.userId : owner.vendorAccountId;
      const steps = await db().auditEvent.findMany({ where: { targetId: target, action: { startsWith: 'SIGN_IN_SECOND_FACTOR' } } });
      expect(steps.map((step) => step.action)).toEqual(['SIGN_IN_SECOND_FACTOR_SUCCESS']);
    } finally {
      await context.close();
    }
  });
}

/**
 * A code step pressed twice without JavaScript whose first answer, and the session cookie in it, never reaches the
 * browser (it showed the second copy's answer instead): the second lands signed in, not on an empty sign-in form with
 * its code used up and its temporary password claimed (review r55c F1). The first copy goes out with the browser's
 * cookies but its answer goes elsewhere; `late`: the browser's copy comes once the first is done, else at once.
 */
const CODE_STEP_DROPPED_ANSWERS = [
  { role: 'PROVIDER_ADMIN', late: true },
  { role: 'PROVIDER_ADMIN', late: false },
  { role: 'PROVIDER_ADMIN', temporary: 'DRPD7KQ2MZ9PRT3W', late: true },
  { role: 'VERIFIER', late: true },
] as const;

for (const copies of CODE_STEP_DROPPED_ANSWERS) {
  const how = `${'temporary' in copies ? ' with a temporary password' : ''}, the browser's copy ${copies.late ? 'late' : 'at once'}`;
  test(`[${copies.role} without JavaScript] presses the code step twice and the first answer is lost${how}: lands signed in (review r55c F1)`, async ({ browser, playwright }) => {
    const vendor = copies.role === 'VERIFIER';
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    try {
      let owner: FactorOwner;
      if (vendor) {
        const { createVendorAccount } = await import('@/prisma/factories');
        const account = await createVendorAccount(db(), 'VERIFIER', TEST_PASSWORD);
        owner = { vendorAccountId: account.id };
        await ensureTotpFactor(owner);
        await page.goto('/vendor/login');
        await page.getByLabel('Work e-mail address').fill(account.email);
        await page.getByLabel('Password', { exact: true }).fill(TEST_PASSWORD);
        await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      } else {
        const { user, creds } = 'temporary' in copies ? await newAdminWithTemporaryPassword(copies.temporary) : await newAdmin();
        owner = { userId: user.id };
        await ensureTotpFactor(owner);
        await page.goto('/login');
        await submitAgencySignIn(page, creds);
      }
      await expect(page.getByRole('heading', { name: 'Confirm it is you' })).toBeVisible();
      const code = await nextTotpCode(owner);
      const form = formWithField(await page.content(), 'code');
      const { body, type } = multipartBody([...form.hidden, ['code', code]]);
      const cookies = (await context.cookies()).map((cookie) => `${cookie.name}=${cookie.value}`).join('; ');
      const elsewhere = await playwright.request.newContext({ baseURL: E2E_BASE_URL, extraHTTPHeaders: { cookie: cookies } });
      try {
        const lost = elsewhere.post(form.action || page.url(), { headers: { 'content-type': type, origin: E2E_BASE_URL, accept: 'text/html' }, data: body, maxRedirects: 0 });
        if (copies.late) expect((await lost).status()).toBe(303);
        await page.getByLabel('Code', { exact: true }).fill(code);
        await page.getByRole('button', { name: 'Continue' }).click();
        expect((await lost).status()).toBe(303);
      } finally {
        await elsewhere.dispose();
      }
      const home = vendor ? /\/vendor$/ : 'temporary' in copies ? /\/change-password$/ : /\/account$/;
      await expect(page).toHaveURL(home);
      const target = 'userId' in owner ? owner.userId : owner.vendorAccountId;
      const steps = await db().auditEvent.findMany({ where: { targetId: target, action: { startsWith: 'SIGN_IN_SECOND_FACTOR' } } });
      expect(steps.map((step) => step.action)).toEqual(['SIGN_IN_SECOND_FACTOR_SUCCESS']);
      // One full session, the one the browser now holds.
      const live = await db().authSession.findMany({ where: { ...owner, endedAt: null, secondFactorPending: false } });
      expect(live).toHaveLength(1);
    } finally {
      await context.close();
    }
  });
}

for (const javaScriptEnabled of [true, false]) {
  test(`[PROVIDER_ADMIN] whose code step ran out of time: the code lands on the sign-in page saying so, not on an empty form (review r34b F3, JavaScript ${javaScriptEnabled ? 'on' : 'off'})`, async ({ browser }) => {
    const { user, creds } = await newAdmin();
    await ensureTotpFactor({ userId: user.id });
    const context = await browser.newContext({ javaScriptEnabled });
    const page = await context.newPage();
    try {
      await signInAsAgencyUser(page, creds, { verify: false });
      await expect(page.getByRole('heading', { name: 'Confirm it is you' })).toBeVisible();
      // Eleven minutes at the code step.
      await db().authSession.updateMany({ where: { userId: user.id, endedAt: null }, data: { createdAt: new Date(Date.now() - 11 * 60_000) } });
      await page.getByLabel('Code', { exact: true }).fill(await nextTotpCode({ userId: user.id }));
      await page.getByRole('button', { name: 'Continue' }).click();
      await expect(page).toHaveURL(/\/login\?done=second-factor-timed-out\./);
      await expect(page.getByRole('status').filter({ hasText: 'Your sign-in ran out of time: the code must be entered within 10 minutes of your password.' })).toBeVisible();
      // The page of the code step says the same.
      await page.goto('/login/verify');
      await expect(page.getByRole('status').filter({ hasText: 'Your sign-in ran out of time' })).toBeVisible();
      // A browser that held no session (signed out, or never signed in) is not told so (review r34e F2),
      // nor one whose session cookie is made up: anyone could then have the notice (review r35b F1).
      await context.clearCookies();
      await page.goto('/login/verify');
      await expect(page).toHaveURL(/\/login$/);
      await expect(page.getByText('Your sign-in ran out of time')).toHaveCount(0);
      await context.addCookies([{ name: 'next-auth.session-token', value: 'made-up', url: E2E_BASE_URL }]);
      await page.goto('/login/verify');
      await expect(page).toHaveURL(/\/login$/);
      await expect(page.getByText('Your sign-in ran out of time')).toHaveCount(0);
      // Nor one whose code step was ended before its time by someone else (a reset, a disable; review r35c F12).
      await context.clearCookies();
      await signInAsAgencyUser(page, creds, { verify: false });
      await expect(page.getByRole('heading', { name: 'Confirm it is you' })).toBeVisible();
      const startedAt = new Date(Date.now() - 11 * 60_000);
      await db().authSession.updateMany({ where: { userId: user.id, endedAt: null }, data: { createdAt: startedAt, endedAt: new Date(startedAt.getTime() + 60_000) } });
      await page.goto('/login/verify');
      await expect(page).toHaveURL(/\/login$/);
      await expect(page.getByText('Your sign-in ran out of time')).toHaveCount(0);
    } finally {
      await context.close();
    }
  });
}

test('[PROVIDER_ADMIN] a code step replaced by another account’s sign-in in a second tab, without JavaScript: the first tab’s code is refused with why, and the reloaded step names the other account (review r53a F2)', async ({ browser }) => {
  const [first, second] = [await newAdmin(), await newAdmin()];
  for (const admin of [first, second]) await ensureTotpFactor({ userId: admin.user.id });
  const context = await browser.newContext({ javaScriptEnabled: false });
  try {
    const firstTab = await context.newPage();
    await signInAsAgencyUser(firstTab, first.creds, { verify: false });
    await expect(firstTab.getByText(`Your password for ${first.creds.loginName} at ${first.creds.providerCode} was right.`, { exact: false })).toBeVisible();
    const secondTab = await context.newPage();
    await signInAsAgencyUser(secondTab, second.creds, { verify: false });
    await expect(secondTab.getByRole('heading', { name: 'Confirm it is you' })).toBeVisible();

    await firstTab.getByLabel('Code', { exact: true }).fill(await nextTotpCode({ userId: first.user.id }));
    await firstTab.getByRole('button', { name: 'Continue' }).click();
    await expect(firstTab.locator('.error-summary')).toContainText('Another account has signed in on this browser since this page was opened, so nothing was done');
    await firstTab.reload();
    await expect(firstTab.getByText(`Your password for ${second.creds.loginName} at ${second.creds.providerCode} was right.`, { exact: false })).toBeVisible();
    // Nothing was counted against either account.
    expect(await db().auditEvent.count({ where: { targetId: { in: [first.user.id, second.user.id] }, action: 'SECOND_FACTOR_FAILURE' } })).toBe(0);
  } finally {
    await context.close();
  }
});

/** What the signed-in frame carries: Sign out, the page's keys for the account (RSC props, escaped in the HTML), the idle timer. */
const FRAME_PARTS = [/signed-in-bar/, /drawnFor\\?":\\?"/, /tabMark\\?":\\?"/, /idleMs/];

test('[PROVIDER_ADMIN] at the code step: a console page, asked for as a document or by the router, carries nothing of the signed-in frame (review r51c F1)', async ({ page }) => {
  const { user, creds } = await newAdmin();
  await ensureTotpFactor({ userId: user.id });
  await signInAsAgencyUser(page, creds, { verify: false });
  await expect(page.getByRole('heading', { name: 'Confirm it is you' })).toBeVisible();
  // An account with an app and no passkey is not told to use one (review r51f F3).
  // It names whose step it is: another account may have signed in on this browser since (review r53a F2).
  await expect(page.getByText(`Your password for ${creds.loginName} at ${creds.providerCode} was right. Now type a code from your authenticator app to finish signing in.`)).toBeVisible();
  await expect(page.getByText(/passkey/i)).toHaveCount(0);
  for (const headers of [{}, { RSC: '1' }] as Record<string, string>[]) {
    // The document's 307 carries a body; the router's request is first sent on to an address with its `_rsc` key.
    const answer = await page.request.get('/admin', { headers, maxRedirects: 'RSC' in headers ? 2 : 0 });
    const body = await answer.text();
    expect(body, JSON.stringify(headers)).toContain('/login/verify');
    for (const framePart of FRAME_PARTS) expect(framePart.test(body), `${framePart} ${JSON.stringify(headers)}`).toBe(false);
  }
  // Once the code is in, the frame is there: the check above looks for what a signed-in answer carries.
  await completeSecondFactor(page, { userId: user.id });
  await expect(page).toHaveURL(/\/account$/);
  const signedIn = await (await page.request.get('/admin', { headers: { RSC: '1' } })).text();
  for (const framePart of FRAME_PARTS) expect(framePart.test(signedIn), String(framePart)).toBe(true);
});

for (const javaScriptEnabled of [true, false]) {
  test(`[PROVIDER_ADMIN] with a temporary password: the password alone claims nothing; of two code steps, the second lands on the sign-in page told it was used (decision 058, JavaScript ${javaScriptEnabled ? 'on' : 'off'})`, async ({ browser }) => {
    const { user, creds } = await newAdminWithTemporaryPassword(javaScriptEnabled ? 'P3KX8QZ5MT2WRN7H' : 'H7NR2WT5ZQ8XK3PM');
    const claimedAt = async () => (await db().user.findUniqueOrThrow({ where: { id: user.id } })).temporaryPasswordUsedAt;
    const contexts = [await browser.newContext({ javaScriptEnabled }), await browser.newContext({ javaScriptEnabled })];
    try {
      const [overheard, own] = await Promise.all(contexts.map((context) => context.newPage()));
      for (const page of [overheard!, own!]) {
        await page.goto('/login');
        await submitAgencySignIn(page, creds);
        await expect(page.getByRole('heading', { name: 'Confirm it is you' })).toBeVisible();
      }
      expect(await claimedAt()).toBeNull();
      await own!.getByLabel('Code', { exact: true }).fill(await nextTotpCode({ userId: user.id }));
      await own!.getByRole('button', { name: 'Continue' }).click();
      await expect(own!).toHaveURL(/\/change-password$/);
      expect(await claimedAt()).not.toBeNull();

      await overheard!.getByLabel('Code', { exact: true }).fill(await nextTotpCode({ userId: user.id }));
      await overheard!.getByRole('button', { name: 'Continue' }).click();
      await expect(overheard!).toHaveURL(/\/login\?done=temporary-password-used\./);
      await expect(overheard!.getByRole('status').filter({ hasText: 'Your temporary password has been used to sign in already, and works only once.' })).toBeVisible();
      expect((await overheard!.request.get('/api/me')).status()).toBe(401);
    } finally {
      await Promise.all(contexts.map((context) => context.close()));
    }
  });
}

for (const javaScriptEnabled of [true, false]) {
  test(`[PROVIDER_ADMIN] at the code step when a reset link ends the temporary password: the code lands on the sign-in page told it expired (review r36d F3, JavaScript ${javaScriptEnabled ? 'on' : 'off'})`, async ({ browser }) => {
    const { user, creds } = await newAdminWithTemporaryPassword(javaScriptEnabled ? 'K7QX2MZ9PT4WRN3H' : 'H3NR4WT9ZM2XQ7KP');
    const context = await browser.newContext({ javaScriptEnabled });
    const page = await context.newPage();
    try {
      await signInAsAgencyUser(page, creds, { verify: false });
      await expect(page.getByRole('heading', { name: 'Confirm it is you' })).toBeVisible();
      const { issueResetLink } = await import('@/lib/password-reset/issue-reset-link');
      await db().$transaction((tx) => issueResetLink(tx, { userId: user.id, purpose: 'ADMIN_LINK', lifetimeHours: 1 }));
      await page.getByLabel('Code', { exact: true }).fill(await nextTotpCode({ userId: user.id }));
      await page.getByRole('button', { name: 'Continue' }).click();
      await expect(page).toHaveURL(/\/login\?done=temporary-password-expired\./);
      await expect(page.getByRole('status').filter({ hasText: 'Your temporary password has expired, or a reset link sent to your e-mail address replaced it.' })).toBeVisible();
      expect((await page.request.get('/api/me')).status()).toBe(401);
    } finally {
      await context.close();
    }
  });
}

for (const javaScriptEnabled of [true, false]) {
  test(`[VERIFIER] whose code step ran out of time: the code lands on the vendor sign-in page saying so, not on an empty form (JavaScript ${javaScriptEnabled ? 'on' : 'off'})`, async ({ browser }) => {
    const { createVendorAccount } = await import('@/prisma/factories');
    const account = await createVendorAccount(db(), 'VERIFIER', TEST_PASSWORD);
    await ensureTotpFactor({ vendorAccountId: account.id });
    const context = await browser.newContext({ javaScriptEnabled });
    const page = await context.newPage();
    try {
      await signInAsVendor(page, { email: account.email, password: TEST_PASSWORD }, { verify: false });
      await expect(page.getByRole('heading', { name: 'Confirm it is you' })).toBeVisible();
      // Eleven minutes at the code step.
      await db().authSession.updateMany({ where: { vendorAccountId: account.id, endedAt: null }, data: { createdAt: new Date(Date.now() - 11 * 60_000) } });
      await page.getByLabel('Code', { exact: true }).fill(await nextTotpCode({ vendorAccountId: account.id }));
      await page.getByRole('button', { name: 'Continue' }).click();
      await expect(page).toHaveURL(/\/vendor\/login\?done=second-factor-timed-out\./);
      await expect(page.getByRole('status').filter({ hasText: 'Your sign-in ran out of time: the code must be entered within 10 minutes of your password.' })).toBeVisible();
      // The page of the code step says the same.
      await page.goto('/vendor/login/verify');
      await expect(page).toHaveURL(/\/vendor\/login\?done=second-factor-timed-out\./);
      await expect(page.getByRole('status').filter({ hasText: 'Your sign-in ran out of time' })).toBeVisible();
      // A browser that held no session (signed out, or never signed in) is not told so.
      await context.clearCookies();
      await page.goto('/vendor/login/verify');
      await expect(page).toHaveURL(/\/vendor\/login$/);
      await expect(page.getByText('Your sign-in ran out of time')).toHaveCount(0);
    } finally {
      await context.close();
    }
  });
}

for (const javaScriptEnabled of [true, false]) {
  test(`[STAFF] removes an authenticator app and is told so: the factor's form leaves the page with it (review r38b I3, JavaScript ${javaScriptEnabled ? 'on' : 'off'})`, async ({ browser }) => {
    const agency = await createAgency(db());
    const user = await createUser(db(), agency.id, TEST_PASSWORD, { loginName: `remove.${uniqueSuffix()}` });
    const { addTotpFactor } = await import('@/prisma/factories');
    await addTotpFactor(db(), { userId: user.id }, undefined, 'Old phone');
    const context = await browser.newContext({ javaScriptEnabled });
    const page = await context.newPage();
    try {
      await signInAsAgencyUser(page, { providerCode: agency.code, loginName: user.loginName, password: TEST_PASSWORD });
      await page.goto('/account/security');
      const remove = page.getByRole('region', { name: 'Remove Old phone' });
      await remove.getByLabel('Code from your app, or a recovery code').fill(await nextTotpCode({ userId: user.id }));
      await remove.getByRole('button', { name: 'Remove Old phone' }).click();
      await expect(page).toHaveURL(/\/account\/security\?done=factor-removed\.\d+\.[\w-]+$/);
      await expect(page.getByRole('status').filter({ hasText: 'The second factor has been removed, and you were signed out everywhere else.' })).toBeVisible();
      await expect(page.getByText('None yet.')).toBeVisible();
      expect(await db().auditEvent.count({ where: { targetId: user.id, action: 'SECOND_FACTOR_REMOVED' } })).toBe(1);
      // A reload of it is a GET.
      const answer = await page.reload();
      expect(answer?.request().method()).toBe('GET');
      // The method is the one the client sent, never one it claims: server.mjs writes the header itself.
      const claimed = await page.request.get(page.url(), { headers: { 'x-portal-sent-method': 'POST', accept: 'text/html' } });
      expect(await claimed.text()).toContain('The second factor has been removed, and you were signed out everywhere else.');
      // Without JavaScript, a form of that page posts to the `?done=` address: its refusal is drawn alone,
      // not below the removal's notice (review r38b I2).
      if (!javaScriptEnabled) {
        await page.getByLabel('Name for this app').fill('New phone');
        await addAppForm(page).getByLabel('Your password').fill('not my password at all');
        await page.getByRole('button', { name: 'Add an authenticator app' }).click();
        await expect(addAppForm(page).getByText('Your password is not right. Type it again.')).toBeVisible();
        await expect(page.getByText('The second factor has been removed')).toHaveCount(0);
      }
    } finally {
      await context.close();
    }
  });
}

/** A page whose posts' answer statuses are recorded: a 307 to a post has the browser send the form again elsewhere. */
async function pageRecordingPostAnswers(browser: Browser, javaScriptEnabled: boolean) {
  const context = await browser.newContext({ javaScriptEnabled });
  const page = await context.newPage();
  const postAnswers: number[] = [];
  page.on('response', (response) => {
    if (response.request().method() === 'POST') postAnswers.push(response.status());
  });
  return { context, page, postAnswers };
}

for (const javaScriptEnabled of [true, false]) {
  test(`[PROVIDER_ADMIN] the wrong code that locks the account ends on the sign-in page, which says so, never on a form sent again elsewhere (JavaScript ${javaScriptEnabled ? 'on' : 'off'})`, async ({ browser }) => {
    const { agency, user, creds } = await newAdmin();
    await ensureTotpFactor({ userId: user.id });
    const { context, page, postAnswers } = await pageRecordingPostAnswers(browser, javaScriptEnabled);
    try {
      await signInAsAgencyUser(page, creds, { verify: false });
      await expect(page.getByRole('heading', { name: 'Confirm it is you' })).toBeVisible();
      // One wrong code short of the lock.
      const { softLockThreshold } = await db().agency.findUniqueOrThrow({ where: { id: agency.id } });
      await db().user.update({ where: { id: user.id }, data: { failedSignInCount: softLockThreshold - 1, lastFailedSignInAt: new Date() } });
      await page.getByLabel('Code', { exact: true }).fill('000000');
      await page.getByRole('button', { name: 'Continue' }).click();
      await expect(page).toHaveURL(/\/login\?done=second-factor-locked\.\d+\.[\w-]+$/);
      await expect(page.getByRole('status').filter({ hasText: /^Too many wrong codes\. Your account is locked for a while/ })).toBeVisible();
      // Answered with "see other": never 307, which has a browser send the form again to the sign-in page.
      expect(postAnswers.filter((status) => status === 307 || status >= 400)).toEqual([]);
      if (javaScriptEnabled) await expectNoAxeViolations(page);
      // The sign-in it ended stays ended.
      await page.goto('/login/verify');
      await expect(page).toHaveURL(/\/login(\?|$)/);
      // No address anyone may link to says an account is locked (review r38b I1): the notice is signed, as the others are.
      expect((await page.goto('/login/locked'))?.status()).toBe(404);
      await page.goto('/login?done=second-factor-locked');
      await expect(page.getByText('Too many wrong codes')).toHaveCount(0);
    } finally {
      await context.close();
    }
  });
}

for (const javaScriptEnabled of [true, false]) {
  test(`[VERIFIER] the wrong code that locks a vendor account ends on the vendor sign-in page, which says so (JavaScript ${javaScriptEnabled ? 'on' : 'off'})`, async ({ browser }) => {
    const { createVendorAccount } = await import('@/prisma/factories');
    const account = await createVendorAccount(db(), 'VERIFIER', TEST_PASSWORD);
    await ensureTotpFactor({ vendorAccountId: account.id });
    const { context, page, postAnswers } = await pageRecordingPostAnswers(browser, javaScriptEnabled);
    try {
      await signInAsVendor(page, { email: account.email, password: TEST_PASSWORD }, { verify: false });
      await expect(page.getByRole('heading', { name: 'Confirm it is you' })).toBeVisible();
      // One wrong code short of the lock.
      await db().vendorAccount.update({ where: { id: account.id }, data: { failedSignInCount: VENDOR_POLICY.softLockThreshold - 1, lastFailedSignInAt: new Date() } });
      await page.getByLabel('Code', { exact: true }).fill('000000');
      await page.getByRole('button', { name: 'Continue' }).click();
      await expect(page).toHaveURL(/\/vendor\/login\?done=second-factor-locked\.\d+\.[\w-]+$/);
      await expect(page.getByRole('status').filter({ hasText: /^Too many wrong codes\. Your account is locked for a while/ })).toBeVisible();
      expect(postAnswers.filter((status) => status === 307 || status >= 400)).toEqual([]);
      const row = await db().vendorAccount.findUniqueOrThrow({ where: { id: account.id } });
      expect(row.lockedUntil!.getTime()).toBeGreaterThan(Date.now());
      if (javaScriptEnabled) await expectNoAxeViolations(page);
      // The sign-in it ended stays ended.
      await page.goto('/vendor/queue');
      await expect(page).toHaveURL(/\/vendor\/login(\?|$)/);
    } finally {
      await context.close();
    }
  });
}

test('[PROVIDER_ADMIN without JavaScript] whose factors were cleared changes the temporary password and is told so on the page that asks for a factor next (review r44a F1)', async ({ browser }) => {
  const temporary = 'K4TR8WQ2MZ7XNB5P';
  const agency = await createAgency(db());
  const user = await createUser(db(), agency.id, temporary, { role: 'PROVIDER_ADMIN', loginName: `mfa.${uniqueSuffix()}` }, { expiresAt: new Date(Date.now() + 3600_000) });
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  try {
    await signInAsAgencyUser(page, { providerCode: agency.code, loginName: user.loginName, password: temporary }, { enrol: false });
    await expect(page).toHaveURL(/\/change-password$/);
    await page.getByLabel('Current password').fill(temporary);
    await page.getByLabel('New password', { exact: true }).fill(TEST_PASSWORD);
    await page.getByLabel('Confirm new password').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Change password' }).click();
    await expect(page).toHaveURL(/\/account\/security\?done=password-changed\.\d+\.[\w-]+$/);
    await expect(page.getByText('Your password has been changed. You have been signed out everywhere else.')).toBeVisible();
    await expect(page.getByText('Your account must have a second factor')).toBeVisible();
  } finally {
    await context.close();
  }
});

test('[PROVIDER_ADMIN] new admin is forced to enrol, enrols an app by keyboard alone, then signs in with codes', async ({ page }) => {
  const { user, creds } = await newAdmin();
  await signInAsAgencyUser(page, creds, { enrol: false });
  await expect(page).toHaveURL(/\/account\/security$/);
  await expect(page.getByText('Your account must have a second factor')).toBeVisible();
  // Every other page and action sends it back here.
  await page.goto('/admin');
  await expect(page).toHaveURL(/\/account\/security$/);
  const api = await page.request.get('/api/me');
  expect([401, 403]).toContain(api.status());

  await expectNoAxeViolations(page);
  await page.getByLabel('Name for this app').focus();
  await page.keyboard.type('Work phone');
  await page.keyboard.press('Tab');
  await expect(addAppForm(page).getByLabel('Your password')).toBeFocused();
  await page.keyboard.type(TEST_PASSWORD);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('totp-secret')).toBeVisible();
  await expect(page.getByRole('img', { name: /QR code/ })).toBeVisible();
  await expectNoAxeViolations(page);
  await page.getByLabel('The 6-digit code your app shows').focus();
  await page.keyboard.type(await codeFromPage(page));
  await page.keyboard.press('Enter');
  const codes = page.getByTestId('recovery-codes').getByRole('listitem');
  await expect(codes).toHaveCount(10);
  await page.getByRole('link', { name: 'I have saved my recovery codes' }).click();
  await expect(page.getByRole('cell', { name: 'Work phone' })).toBeVisible();
  await expect(page.getByText('Your account must have a second factor')).toBeHidden();
  await page.goto('/admin');
  await expect(page).toHaveURL(/\/admin$/);

  // The next sign-in asks for a code; the one just used is refused (each code once).
  await page.context().clearCookies();
  const used = await db().mfaFactor.findFirstOrThrow({ where: { userId: user.id } });
  await signInAsAgencyUser(page, creds, { verify: false });
  await expect(page).toHaveURL(/\/login\/verify$/);
  await expectNoAxeViolations(page);
  await page.goto('/admin');
  await expect(page).toHaveURL(/\/login\/verify$/);
  const { unsealFactorSecret } = await import('@/lib/mfa/secret-box');
  const replayed = await totpCodeFor(unsealFactorSecret(used.secret!), used.lastUsedStep!);
  await page.getByLabel('Code', { exact: true }).fill(replayed);
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.locator('.error-summary')).toContainText('not right, or it was already used');
  await page.getByLabel('Code', { exact: true }).focus();
  await page.keyboard.type(await nextTotpCode({ userId: user.id }));
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/account$/);
  const audit = await db().auditEvent.findFirstOrThrow({ where: { targetId: user.id, action: 'SIGN_IN_SECOND_FACTOR_SUCCESS' } });
  expect(JSON.parse(audit.details!)).toMatchObject({ factor: 'TOTP' });
});

test('[SUPER_ADMIN] a recovery code works once; wrong codes lock the account', async ({ page }) => {
  const { agency, user, creds } = await newAdmin('SUPER_ADMIN');
  await db().agency.update({ where: { id: agency.id }, data: { softLockThreshold: 3 } });
  await signInAsAgencyUser(page, creds);
  await page.goto('/account/security');
  await page.getByLabel('Code from your app, or a recovery code').last().fill(await nextTotpCode({ userId: user.id }));
  await page.getByRole('button', { name: 'Make new recovery codes' }).click();
  const codes = page.getByTestId('recovery-codes').getByRole('listitem');
  await expect(codes).toHaveCount(10);
  const recovery = (await codes.first().textContent())!.trim();

  await page.context().clearCookies();
  await signInAsAgencyUser(page, creds, { verify: false });
  await page.getByLabel('Code', { exact: true }).fill(recovery);
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page).toHaveURL(/\/account$/);

  await page.context().clearCookies();
  await signInAsAgencyUser(page, creds, { verify: false });
  const refusals = () => db().auditEvent.count({ where: { targetId: user.id, action: 'SIGN_IN_SECOND_FACTOR_FAILURE' } });
  for (const [attempt, code] of [recovery, '000000'].entries()) {
    await page.getByLabel('Code', { exact: true }).fill(code);
    await page.getByRole('button', { name: 'Continue' }).click();
    // Wait for this answer (recorded, and the form back from pending) before typing the next code.
    await expect.poll(refusals).toBe(attempt + 1);
    await expect(page.getByRole('button', { name: 'Continue' })).toBeEnabled();
    await expect(page.locator('.error-summary')).toContainText('not right');
  }
  // The third wrong code locks the account, and the sign-in ends on the page that says so.
  await page.getByLabel('Code', { exact: true }).fill('000001');
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page).toHaveURL(/\/login\?done=second-factor-locked\./);
  await expect(page.getByRole('status').filter({ hasText: 'Your account is locked' })).toBeVisible();
  expect(await refusals()).toBe(3);
  await page.goto('/account');
  await expect(page).toHaveURL(/\/login/);
  const row = await db().user.findUniqueOrThrow({ where: { id: user.id } });
  expect(row.lockedUntil!.getTime()).toBeGreaterThan(Date.now());
});

test('[SUPER_ADMIN] makes new recovery codes twice from one page with JavaScript: the second press makes codes, it is no copy of the first sent again', async ({ page }) => {
  const { user, creds } = await newAdmin('SUPER_ADMIN');
  await ensureTotpFactor({ userId: user.id });
  const { addTotpFactor } = await import('@/prisma/factories');
  const tablet = await addTotpFactor(db(), { userId: user.id }, undefined, 'Tablet');
  await signInAsAgencyUser(page, creds);
  await page.goto('/account/security');
  const form = page.locator('form', { has: page.getByRole('button', { name: 'Make new recovery codes' }) });
  const codes = page.getByTestId('recovery-codes').getByRole('listitem');
  await form.getByLabel('Code from your app, or a recovery code').fill(await nextTotpCode({ userId: user.id }));
  await form.getByRole('button', { name: 'Make new recovery codes' }).click();
  await expect(codes).toHaveCount(10);
  const first = await codes.first().textContent();
  // The page is drawn again around the codes, so the form has a key of its own now.
  await form.getByLabel('Code from your app, or a recovery code').fill(await totpCodeFor(tablet, totpStep(new Date())));
  await form.getByRole('button', { name: 'Make new recovery codes' }).click();
  await expect(codes.first()).not.toHaveText(first!);
  await expect(codes).toHaveCount(10);
  expect(await db().auditEvent.count({ where: { targetId: user.id, action: 'RECOVERY_CODES_REPLACED' } })).toBe(2);
});

test('[PROVIDER_ADMIN] clears a staff member’s lost factors in the console with a code of their own, which resets the password with them; the old password is no way in, the temporary one is', async ({ page }) => {
  const { agency, user: adminUser, creds: adminCreds } = await newAdmin();
  const staff = await createUser(db(), agency.id, TEST_PASSWORD, { loginName: `lost.${uniqueSuffix()}` });
  const { addTotpFactor } = await import('@/prisma/factories');
  await addTotpFactor(db(), { userId: staff.id }, undefined, 'Lost phone');
  await signInAsAgencyUser(page, adminCreds);
  await page.goto(`/admin/users/${staff.id}`);
  await expect(page.getByText('1 set up')).toBeVisible();
  await page.getByRole('button', { name: 'Clear second factors' }).click();
  // The session alone clears nothing: the admin's own code is asked for (review r43d F1).
  await page.getByRole('button', { name: 'Yes, clear them and reset the password' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Confirm it is you first.' })).toBeVisible();
  expect(await db().mfaFactor.count({ where: { userId: staff.id } })).toBe(1);
  await page.getByLabel('Your code: from your app, or one of your recovery codes').fill(await nextTotpCode({ userId: adminUser.id }));
  await page.getByRole('button', { name: 'Yes, clear them and reset the password' }).click();
  const temporaryPassword = await page.getByTestId('temporary-password').textContent();
  expect(temporaryPassword).toMatch(/^[23456789A-HJ-NP-Z]{16}$/);
  await expect(page.getByTestId('reset-result')).toBeFocused();
  // The page is redrawn with what is now on record, and the password stays shown.
  await expect(page.getByText('None set up.')).toBeVisible();
  await expect(page.getByTestId('temporary-password')).toHaveText(temporaryPassword!);
  await expect(page.getByRole('button', { name: 'Clear second factors' })).toHaveCount(0);
  expect(await db().mfaFactor.count({ where: { userId: staff.id } })).toBe(0);
  expect(await db().auditEvent.count({ where: { targetId: staff.id, action: 'ADMIN_SECOND_FACTORS_CLEARED' } })).toBe(1);
  await expectNoAxeViolations(page);

  await page.context().clearCookies();
  await signInAsAgencyUser(page, { providerCode: agency.code, loginName: staff.loginName, password: TEST_PASSWORD });
  await expect(page.locator('.error-summary')).toBeVisible();
  await expect(page).toHaveURL(/\/login/);
  await signInAsAgencyUser(page, { providerCode: agency.code, loginName: staff.loginName, password: temporaryPassword! });
  await expect(page).toHaveURL(/\/change-password$/);
});

test('[PROVIDER_ADMIN without JavaScript] clearing a staff member’s factors asks first, and for the admin’s own code, then shows the temporary password once', async ({ browser }) => {
  const { agency, user: adminUser, creds: adminCreds } = await newAdmin();
  const staff = await createUser(db(), agency.id, TEST_PASSWORD, { loginName: `lost.${uniqueSuffix()}` });
  const { addTotpFactor } = await import('@/prisma/factories');
  await addTotpFactor(db(), { userId: staff.id }, undefined, 'Lost phone');
  const context = await browser.newContext({ javaScriptEnabled: false });
  try {
    const page = await context.newPage();
    await signInAsAgencyUser(page, adminCreds);
    await page.goto(`/admin/users/${staff.id}`);
    await page.getByRole('button', { name: 'Clear second factors' }).click();
    await expect(page.getByText(/Clear .*’s second factors\?/)).toBeVisible();
    // Asked, not done; and the password reset's own question is not the one asked.
    await expect(page.getByRole('button', { name: 'Yes, reset the password' })).toHaveCount(0);
    expect(await db().mfaFactor.count({ where: { userId: staff.id } })).toBe(1);
    // A wrong code: the question is asked again, with what was wrong, and nothing is cleared.
    const code = page.getByLabel('Your code: from your app, or one of your recovery codes');
    await code.fill('000000');
    await page.getByRole('button', { name: 'Yes, clear them and reset the password' }).click();
    await expect(page.getByText('That code is not right, or it was already used.', { exact: false })).toBeVisible();
    expect(await db().mfaFactor.count({ where: { userId: staff.id } })).toBe(1);
    await code.fill(await nextTotpCode({ userId: adminUser.id }));
    await page.getByRole('button', { name: 'Yes, clear them and reset the password' }).click();
    await expect(page.getByTestId('temporary-password')).toHaveText(/^[23456789A-HJ-NP-Z]{16}$/);
    expect(await db().mfaFactor.count({ where: { userId: staff.id } })).toBe(0);
    expect((await db().user.findUniqueOrThrow({ where: { id: staff.id } })).mustChangePassword).toBe(true);
  } finally {
    await context.close();
  }
});

test('[VERIFIER] a new vendor account is sent to /vendor/security to enrol; the page passes axe', async ({ page }) => {
  const { createVendorAccount } = await import('@/prisma/factories');
  const account = await createVendorAccount(db(), 'VERIFIER', TEST_PASSWORD);
  await signInAsVendor(page, { email: account.email, password: TEST_PASSWORD }, { enrol: false });
  await expect(page).toHaveURL(/\/vendor\/security$/);
  await page.goto('/vendor/queue');
  await expect(page).toHaveURL(/\/vendor\/security$/);
  await expectNoAxeViolations(page);
});

test('[PROVIDER_ADMIN] the browser becomes a known device only once the code passes: the password alone earns no pass at the code step', async ({ browser }) => {
  const { user, creds } = await newAdmin();
  await ensureTotpFactor({ userId: user.id });
  const context = await browser.newContext();
  const knownDevice = async () => (await context.cookies()).some((cookie) => cookie.name.endsWith('portal-known-device'));
  try {
    const page = await context.newPage();
    await signInAsAgencyUser(page, creds, { verify: false });
    await expect(page).toHaveURL(/\/login\/verify/);
    expect(await knownDevice()).toBe(false);
    await completeSecondFactor(page, { userId: user.id });
    await expect(page).not.toHaveURL(/\/login/);
    expect(await knownDevice()).toBe(true);
  } finally {
    await context.close();
  }
});

for (const javaScriptEnabled of [true, false]) {
  test(`[ATTACKER] who knows an admin’s password but holds no factor, once the account’s code steps are spent, is told to wait on the sign-in page; no code step opens (review r54b F1, JavaScript ${javaScriptEnabled ? 'on' : 'off'})`, async ({ browser }) => {
    const { RATE_LIMITS } = await import('@/lib/rate-limit/rate-limit');
    const { user, creds } = await newAdmin();
    await ensureTotpFactor({ userId: user.id });
    const rule = RATE_LIMITS.codeStepsPerAccount;
    await db().rateLimitBucket.create({ data: { key: `${rule.name}:user:${user.id}`, windowStart: new Date(), count: rule.limit } });
    const context = await browser.newContext({ javaScriptEnabled });
    const page = await context.newPage();
    try {
      await page.goto('/login');
      await submitAgencySignIn(page, creds);
      await expect(page.getByTestId('error-summary')).toContainText('Too many sign-ins to this account in the last 15 minutes. Wait 15 minutes and try again.');
      expect(new URL(page.url()).pathname).toBe('/login');
      expect(await db().authSession.count({ where: { userId: user.id } })).toBe(0);
    } finally {
      await context.close();
    }
  });
}
