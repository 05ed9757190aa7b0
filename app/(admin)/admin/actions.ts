'use server';

import { ADMIN_ACCESS } from '@/lib/admin/access';
import { bulkUnlockSchema, bulkUnlockUsers } from '@/lib/admin/bulk-unlock-users';
import { defineAction } from '@/lib/auth/guards';
import { donePath } from '@/lib/http/done-notice';

export const bulkUnlockAction = defineAction(
  'admin-bulk-unlock',
  ADMIN_ACCESS,
  bulkUnlockSchema,
  async (actor, input, { ip }) => {
    const result = await bulkUnlockUsers(actor, input, ip);
    if (!result.ok) return { ok: false, message: result.message };
    // No revalidation here: it would take the banner, and this answer inside it, off the page before it is read.
    const { unlocked, leftOwn, more } = result.value;
    return {
      ok: true,
      message:
        `${unlocked.toLocaleString('en-US')} account${unlocked === 1 ? ' is' : 's are'} unlocked. Passwords have not changed.` +
        (more > 0 ? ` ${more.toLocaleString('en-US')} more ${more === 1 ? 'is' : 'are'} still locked: reload this page to unlock the next ones.` : '') +
        (leftOwn ? ' Your own account is locked too: ask another administrator to unlock it.' : ''),
    };
  },
  // Without JavaScript the answer is the page drawn again, where the banner holding it is gone once the
  // locks are; and a reload would press again. The console says it instead, the banner what is left.
  { afterSuccessWithoutJavaScript: (_input, actor) => donePath('/admin', 'admin-bulk-unlock', actor) },
);
