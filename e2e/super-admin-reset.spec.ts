import { totpCodeFor, totpStep } from '@/lib/mfa/totp';
import { db } from './support/data';
import { findMail, waitForMail } from './support/mailbox';
import { addAppForm } from './support/second-factor';
import { expect, signInAsAgencyUser, test } from './support/test';
import { expectNoSecret, expectVendorResponsesHoldNoSecret, fileSuperAdminRequest, secretsFor, vendorSession } from './super-admin-support';

const OLGA_ON_RECORD = 'olga@solocare.example';
const TYPED_EMAIL = 'olga.at.home@elsewhere.example';
const NEW_PASSWORD = 'juniper canyon velvet orbit';

test('[SUPER_ADMIN] the lone super admin gets back in: form, call-back, verify, a second verifier approves, the mailed link, sign-in; the link then fails', async ({ page, browser }) => {
  test.setTimeout(120_000);

  // Olga has no open request yet (another spec may have filed one, and this one would attach to it as a repeat).
  const olga = await db().user.findFirstOrThrow({ where: { loginKey: 'olga.owner', agency: { codeKey: 'solo-tx' } }, select: { id: true } });
  await db().superAdminResetRequest.updateMany({ where: { openKey: `user:${olga.id}` }, data: { state: 'REJECTED', openKey: null } });

  // The lone super admin of SOLO-TX files the public form.
  const reference = await fileSuperAdminRequest(page, { providerCode: 'solo-tx', loginName: 'Olga.Owner', fullName: 'Olga Owens', workEmail: TYPED_EMAIL });
  expect(reference).toMatch(/^[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$/);

  // The notice goes to the address on record, with the canary link; nothing to the typed address.
  const notice = await waitForMail({ to: OLGA_ON_RECORD, subjectIncludes: 'reset your administrator password', textIncludes: reference });
  expect(notice.text).toContain(reference);
  expect(notice.links.some((link) => link.includes('/super-admin-reset/cancel/'))).toBe(true);
  // The outbox is written with the request, in one transaction: what is not there is never sent.
  expect(await db().outboxMessage.count({ where: { toAddress: { in: [TYPED_EMAIL, TYPED_EMAIL.toUpperCase()] } } })).toBe(0);
  expect(await findMail({ to: TYPED_EMAIL })).toEqual([]);

  // Verifier 1 claims it, calls back the agency's number on record, and verifies.
  const vera = await vendorSession(browser, 'vera.verifier@carenotes.example');
  await vera.page.getByRole('link', { name: /verification queue/ }).click();
  await vera.page.getByRole('link', { name: reference }).click();
  await expect(vera.page.getByRole('heading', { name: `Request ${reference}` })).toBeVisible();
  const requestId = new URL(vera.page.url()).pathname.split('/').pop()!;
  await expect(vera.page.getByTestId('phone-on-record')).toContainText('+1 512 555 0177');
  await expect(vera.page.getByText('o***@solocare.example')).toBeVisible();
  await expect(vera.page.getByText('+1 ••• ••• 0178')).toBeVisible();
  await expect(vera.page.getByText(TYPED_EMAIL)).toBeVisible();
  // What the requester typed is marked as such, beside the e-mail and the phone.
  await expect(vera.page.getByTestId('unverified')).toHaveText(Array(2).fill('typed by the requester — unverified; never use to contact'));
  await expect(vera.page.getByText('None: this is the agency’s only active administrator.')).toBeVisible();

  await vera.page.getByRole('button', { name: 'Claim this request' }).click();
  await expect(vera.page.getByRole('status')).toHaveText('You are working this request.');
  await vera.page.getByLabel(/I called back the agency’s phone number on record/).check();
  await vera.page.getByLabel('Call notes').fill('Called +1 512 555 0177; the office manager put Olga on; she confirmed the request.');
  await vera.page.getByLabel('I confirmed the identity of the person asking').check();
  await vera.page.getByLabel(/no other administrator of the agency/).check();
  await vera.page.getByRole('button', { name: 'Save checklist' }).click();
  await expect(vera.page.getByRole('status')).toHaveText('Checklist saved.');
  await vera.page.getByRole('button', { name: 'Mark as verified' }).click();
  await expect(vera.page.getByTestId('state')).toHaveText('Verified, awaiting approval');
  // Four eyes: the one who verified is not offered the approval.
  await expect(vera.page.getByTestId('approve-blocked')).toHaveText('You verified this request. A second verifier must approve it.');
  await expect(vera.page.getByRole('button', { name: 'Approve and e-mail the link' })).toHaveCount(0);

  // Verifier 2 approves; the system mails the link.
  const victor = await vendorSession(browser, 'victor.verifier@carenotes.example');
  await victor.page.goto('/vendor/queue?view=VERIFIED');
  await victor.page.getByRole('link', { name: reference }).click();
  await expect(victor.page.getByText('Verified by Vera Verifier.')).toBeVisible();
  await victor.page.getByRole('button', { name: 'Approve and e-mail the link' }).click();
  // Honest words: approval queues the mail; the page reads its delivery from the outbox.
  await expect(victor.page.getByRole('status')).toContainText('Approved. The system queued a single-use link for e-mail');
  await expect(victor.page.getByTestId('state')).toHaveText('Approved, link by e-mail');
  await expect(victor.page.getByTestId('delivery')).toContainText(/Queued for e-mail at .*; not sent yet\.|Sent at /);

  const linkMail = await waitForMail({ to: OLGA_ON_RECORD, subjectIncludes: 'Your CareNotes password reset link', textIncludes: reference });
  const link = linkMail.links.find((l) => l.includes('/reset/'))!;
  const token = new URL(link).pathname.split('/').pop()!;
  expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  expect(await db().outboxMessage.count({ where: { toAddress: { in: [TYPED_EMAIL, TYPED_EMAIL.toUpperCase()] } } })).toBe(0);
  expect(await findMail({ to: TYPED_EMAIL })).toEqual([]);
  await victor.page.reload();
  await expect(victor.page.getByTestId('delivery')).toContainText(/^The link’s e-mail: Sent at .* UTC \(handed to the mail server\)\.$/);

  // Proof that vendor staff never hold the secret: nothing either verifier's browser received, nor
  // any page, search, export or error a vendor session can fetch, holds the token, its hash or a password hash.
  const secrets = await secretsFor(token);
  expectNoSecret('Vera’s browser', await vera.received(), secrets);
  expectNoSecret('Victor’s browser', await victor.received(), secrets);
  const statuses = await expectVendorResponsesHoldNoSecret(victor.context.request, requestId, reference, token);
  expect(statuses).toMatchObject({ '/vendor/queue': 200, [`/vendor/queue/${requestId}`]: 200, '/vendor/queue/export': 200, '/vendor/queue/no-such-request': 404, '/api/me': 403, '/account': 404, '/change-password': 404, '/admin': 404 });
  // A vendor session holding the link still cannot use it: refused, audited, and the link is not used up.
  const asVendor = await victor.context.request.get(link, { maxRedirects: 0 });
  expect(asVendor.status()).toBe(404);
  expectNoSecret('the refused link page', await asVendor.text(), { 'password hash #0': secrets['password hash #0']!, 'reset token hash': secrets['reset token hash']! });
  const victorAccount = await db().vendorAccount.findUniqueOrThrow({ where: { emailKey: 'victor.verifier@carenotes.example' } });
  expect(await db().auditEvent.count({ where: { actorId: victorAccount.id, action: 'ACCESS_DENIED', details: { contains: '/reset/[token]' } } })).toBe(1);
  expect(await db().auditEvent.count({ where: { actorId: victorAccount.id, action: 'ACCESS_DENIED', details: { contains: '/change-password' } } })).toBe(1);

  // The super admin follows the link from the delivered mail; the page is neither cached nor a referrer source.
  const response = await page.goto(link);
  expect(response?.headers()['referrer-policy']).toBe('no-referrer');
  expect(response?.headers()['cache-control']).toContain('no-store');
  await expect(page.getByRole('heading', { name: 'Choose a new password' })).toBeVisible();
  await page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
  await page.getByLabel('Confirm new password').fill(NEW_PASSWORD);
  await page.getByRole('button', { name: 'Set new password' }).click();
  await expect(page.getByRole('heading', { name: 'Your new password is set' })).toBeVisible();
  await waitForMail({ to: OLGA_ON_RECORD, subjectIncludes: 'Your CareNotes password was changed' });

  // She signs in with it: the link cleared her lost second factor, so she sets up a new one first.
  expect(await db().mfaFactor.count({ where: { userId: olga.id } })).toBe(0);
  await page.getByRole('link', { name: 'Sign in' }).click();
  await signInAsAgencyUser(page, { providerCode: 'SOLO-TX', loginName: 'olga.owner', password: NEW_PASSWORD }, { enrol: false });
  await expect(page).toHaveURL(/\/account\/security$/);
  await page.getByLabel('Name for this app').fill('New phone');
  await addAppForm(page).getByLabel('Your password').fill(NEW_PASSWORD);
  await page.getByRole('button', { name: 'Add an authenticator app' }).click();
  const secret = (await page.getByTestId('totp-secret').textContent())!.replace(/\s/g, '');
  await page.getByLabel('The 6-digit code your app shows').fill(await totpCodeFor(secret, totpStep(new Date())));
  await page.getByRole('button', { name: 'Confirm' }).click();
  await page.getByRole('link', { name: 'I have saved my recovery codes' }).click();
  await page.goto('/account');
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByText('Olga Owens')).toBeVisible();

  // The link then fails, with the one message pointing to the guide.
  await page.goto(link);
  await expect(page.getByRole('heading', { name: 'This link cannot be used' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Follow the sign-in help guide' })).toHaveAttribute('href', '/help');

  // The verifiers see it completed, and still nothing secret, now that her password hash is new.
  await victor.page.reload();
  await expect(victor.page.getByTestId('state')).toHaveText('Completed');
  await expectVendorResponsesHoldNoSecret(victor.context.request, requestId, reference, token);
  expectNoSecret('Victor’s browser', await victor.received(), await secretsFor(token));
  await vera.close();
  await victor.close();
});
