// A verifier's step is drawn only while the request is where that step starts, for that verifier.
// Once another verifier moved the request on, the page drawn again no longer holds the step's form:
// without JavaScript the refusal, drawn in that form, was lost with it (review r34e).
import { createAgency, createSuperAdminRequest, createUser, createVendorAccount, uniqueSuffix } from '@/prisma/factories';
import { db, TEST_PASSWORD } from './support/data';
import { expect, signInAsVendor, test } from './support/test';

const GONE = 'Not marked verified: this request had changed since you opened it';

for (const javaScriptEnabled of [true, false]) {
  test(`[VERIFIER] whose request another verifier took over meanwhile presses "Mark as verified" and is told it moved on (JavaScript ${javaScriptEnabled ? 'on' : 'off'})`, async ({ browser }) => {
    const agency = await createAgency(db());
    const admin = await createUser(db(), agency.id, TEST_PASSWORD, { role: 'SUPER_ADMIN', loginName: `moved.on.${uniqueSuffix()}`, email: `moved.on.${uniqueSuffix()}@example.test` });
    const { request } = await createSuperAdminRequest(db(), agency, admin);
    const [vera, victor] = [await createVendorAccount(db(), 'VERIFIER', TEST_PASSWORD), await createVendorAccount(db(), 'VERIFIER', TEST_PASSWORD)];
    // Vera claimed it and did her checks: her page offers "Mark as verified".
    await db().superAdminResetRequest.update({
      where: { id: request.id },
      data: { state: 'IN_REVIEW', claimedById: vera.id, callbackDone: true, callbackNotes: 'Spoke to the office manager.', identityConfirmed: true, noOtherAdminConfirmed: true },
    });
    const veraContext = await browser.newContext({ javaScriptEnabled });
    const page = await veraContext.newPage();
    const victorContext = await browser.newContext();
    const other = await victorContext.newPage();
    try {
      for (const [tab, account] of [[page, vera], [other, victor]] as const) {
        await signInAsVendor(tab, { email: account.email, password: TEST_PASSWORD });
        await expect(tab).toHaveURL(/\/vendor$/);
        await tab.goto(`/vendor/queue/${request.id}`);
      }
      // Victor takes it over meanwhile, which unticks the checklist: Vera's page still shows her button.
      await other.getByRole('button', { name: 'Take over this request' }).click();
      await expect(other).toHaveURL(/\?done=claim\./);
      expect(await db().superAdminResetRequest.findUniqueOrThrow({ where: { id: request.id } })).toMatchObject({ claimedById: victor.id, callbackDone: false });

      await page.getByRole('button', { name: 'Mark as verified' }).click();
      if (javaScriptEnabled) {
        // The form keeps its place and says why, as before.
        await expect(page.getByTestId('error-summary')).toContainText('This request has changed since you opened it');
        expect(page.url()).not.toContain('done=');
      } else {
        await expect(page).toHaveURL(new RegExp(`/vendor/queue/${request.id}\\?done=verify-gone\\.\\d+\\.[\\w-]+$`));
        await expect(page.getByRole('status').filter({ hasText: GONE })).toBeVisible();
        await expect(page.getByTestId('state')).toHaveText('In review');
        await expect(page.getByRole('button', { name: 'Mark as verified' })).toHaveCount(0);
        // Reloading the answer is a GET: it asks nothing again.
        expect((await page.reload())?.request().method()).toBe('GET');
        await expect(page.getByRole('status').filter({ hasText: GONE })).toBeVisible();
        // Signed for Vera's session: Victor given the same address, or anyone a bare name, is told nothing.
        await other.goto(page.url());
        await expect(other.getByTestId('state')).toHaveText('In review');
        await expect(other.getByText(GONE)).toHaveCount(0);
        await page.goto(`/vendor/queue/${request.id}?done=verify-gone`);
        await expect(page.getByTestId('state')).toHaveText('In review');
        await expect(page.getByText(GONE)).toHaveCount(0);
      }
      expect(await db().superAdminResetRequest.findUniqueOrThrow({ where: { id: request.id } })).toMatchObject({ state: 'IN_REVIEW', claimedById: victor.id, verifiedById: null });
    } finally {
      await victorContext.close();
      await veraContext.close();
    }
  });
}

test('[VERIFIER] whose "Claim this request" is sent twice without JavaScript is told both times that it was done, and claims once (closing-51)', async ({ browser }) => {
  const agency = await createAgency(db());
  const admin = await createUser(db(), agency.id, TEST_PASSWORD, { role: 'SUPER_ADMIN', loginName: `twice.${uniqueSuffix()}`, email: `twice.${uniqueSuffix()}@example.test` });
  const { request } = await createSuperAdminRequest(db(), agency, admin);
  const vera = await createVendorAccount(db(), 'VERIFIER', TEST_PASSWORD);
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  try {
    await signInAsVendor(page, { email: vera.email, password: TEST_PASSWORD });
    await expect(page).toHaveURL(/\/vendor$/);
    await page.goto(`/vendor/queue/${request.id}`);
    const claimPosted = page.waitForRequest((sent) => sent.method() === 'POST');
    await page.getByRole('button', { name: 'Claim this request' }).click();
    await expect(page).toHaveURL(/\?done=claim\./);
    // The very same POST again, as a browser that sent both clicks does: refused as moved on by her own claim,
    // which the step's answer turns into the page that says it was done.
    const again = await page.request.fetch(await claimPosted, { maxRedirects: 0 });
    expect(again.status()).toBe(303);
    expect(again.headers()['location']).toMatch(new RegExp(`/vendor/queue/${request.id}\\?done=claim\\.\\d+\\.[\\w-]+$`));
    expect(await db().auditEvent.count({ where: { targetId: request.id, action: 'SUPER_ADMIN_RESET_CLAIMED' } })).toBe(1);
    expect(await db().superAdminResetRequest.findUniqueOrThrow({ where: { id: request.id } })).toMatchObject({ state: 'IN_REVIEW', claimedById: vera.id });
  } finally {
    await context.close();
  }
});
