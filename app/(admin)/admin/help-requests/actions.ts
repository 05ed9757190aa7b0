'use server';

import { ADMIN_ACCESS } from '@/lib/admin/access';
import { handleHelpRequest, handleHelpRequestSchema } from '@/lib/admin/help-requests';
import { HELP_INBOX_DONE, HELP_INBOX_GONE } from '@/lib/admin/console-done';
import { defineAction } from '@/lib/auth/guards';
import { donePath } from '@/lib/http/done-notice';

const said = (outcome: 'RESOLVED' | 'DISMISSED') => (outcome === 'RESOLVED' ? 'help-request-resolved' : 'help-request-dismissed') satisfies keyof typeof HELP_INBOX_DONE;

export const handleHelpRequestAction = defineAction(
  'admin-handle-help-request',
  ADMIN_ACCESS,
  handleHelpRequestSchema,
  async (actor, input, { ip }) => {
    const result = await handleHelpRequest(actor, input, ip);
    if (!result.ok) return result;
    // No revalidation here: the request's form would leave the page with this answer; the form refreshes it once told.
    return { ok: true, message: input.outcome === 'RESOLVED' ? 'Marked as resolved.' : 'Dismissed.' };
  },
  // Without JavaScript the entry leaves the page with its buttons, and the answer drawn in them: the inbox says it.
  {
    afterSuccessWithoutJavaScript: (input, actor) => donePath('/admin/help-requests', said(input.outcome), actor),
    afterGoneWithoutJavaScript: (input, actor) => donePath('/admin/help-requests', `${said(input.outcome)}-gone` satisfies keyof typeof HELP_INBOX_GONE, actor),
  },
);
