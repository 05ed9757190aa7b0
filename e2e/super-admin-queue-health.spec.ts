import { DEMO_PASSWORD } from '@/prisma/seed';
import { getQueueHealth } from '@/lib/super-admin/get-queue-health';
import { db } from './support/data';
import { expect, signInAsVendor, test } from './support/test';
import { fileSuperAdminRequest } from './super-admin-support';

test('[OPERATOR] sees how many requests wait for verifiers and the oldest’s age, with a warning past a threshold; [VERIFIER] does not get this panel', async ({ page }) => {
  const reference = await fileSuperAdminRequest(page, { providerCode: 'NO-SUCH-AGENCY', loginName: `slow.${Date.now()}` });
  // Filed three days ago: past the 48 h threshold.
  await db().superAdminResetRequest.update({
    where: { reference: reference.replace('-', '') },
    data: { createdAt: new Date(Date.now() - 72 * 3600_000) },
  });
  await signInAsVendor(page, { email: 'otto.operator@carenotes.example', password: DEMO_PASSWORD });
  await expect(page).toHaveURL(/\/vendor$/);
  const health = await getQueueHealth(db());
  await expect(page.getByTestId('queue-health')).toHaveText(
    `${health.depth} request${health.depth === 1 ? '' : 's'} waiting for verifiers; the oldest has waited ${health.oldestWaited}.`,
  );
  await expect(page.getByTestId('queue-alert')).toContainText(/The oldest has waited \d+ d \d+ h \(alert after 48 h\)\./);
  await db().superAdminResetRequest.update({ where: { reference: reference.replace('-', '') }, data: { state: 'REJECTED', openKey: null } });

  await page.context().clearCookies();
  await signInAsVendor(page, { email: 'vera.verifier@carenotes.example', password: DEMO_PASSWORD });
  await expect(page).toHaveURL(/\/vendor$/);
  await expect(page.getByTestId('queue-health')).toHaveCount(0);
});
