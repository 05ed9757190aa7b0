import { mailboxKeyFor } from '@/lib/mail/mailbox-key.mjs';
import { E2E_SECRET } from './support/env';
import { expect, test } from './support/test';

test('the development mailbox does not exist on a production server with SMTP, even at the address holding its key', async ({ page }) => {
  for (const path of ['/dev/mailbox', `/dev/mailbox?key=${mailboxKeyFor(E2E_SECRET)}`]) {
    expect((await page.goto(path))?.status(), path).toBe(404);
  }
});
