'use server';

import { defineAction, PUBLIC, type ActionState } from '@/lib/auth/guards';
import { askAdminSchema, requestAdminHelp } from '@/lib/help/request-admin-help';

export type AskAdminState = ActionState & { sent?: boolean };

/**
 * Public form: anyone can post here, so the use case throttles and answers alike for every account.
 * Without JavaScript a success leads to a page of its own: reloading the answer would mail the admins again.
 */
export const askAdminAction = defineAction(
  'ask-admin',
  PUBLIC,
  askAdminSchema,
  async (_actor, input, { ip }): Promise<AskAdminState> => {
    const outcome = await requestAdminHelp({ ip }, input);
    if (outcome.status === 'throttled') {
      const minutes = Math.max(1, Math.ceil(outcome.retryAfterSeconds / 60));
      return {
        ok: false,
        message: `Too many requests have come from your network. Wait ${minutes} minutes and try again, or ask your manager who your administrator is.`,
        values: { providerCode: input.providerCode, loginName: input.loginName, message: input.message ?? '' },
      };
    }
    return { ok: true, sent: true };
  },
  { afterSuccessWithoutJavaScript: () => '/help/ask-admin/sent' },
);
