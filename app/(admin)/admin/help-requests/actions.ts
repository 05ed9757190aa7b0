'use server';

import { ADMIN_ACCESS } from '@/lib/admin/access';
import { handleHelpRequest, handleHelpRequestSchema } from '@/lib/admin/help-requests';
import { defineAction } from '@/lib/auth/guards';

export const handleHelpRequestAction = defineAction('admin-handle-help-request', ADMIN_ACCESS, handleHelpRequestSchema, async (actor, input, { ip }) => {
  const result = await handleHelpRequest(actor, input, ip);
  if (!result.ok) return { ok: false, message: result.message };
  // No revalidation here: the request's form would leave the page with this answer; the form refreshes it once told.
  return { ok: true, message: input.outcome === 'RESOLVED' ? 'Marked as resolved.' : 'Dismissed.' };
});
