'use server';

import { ADMIN_ACCESS } from '@/lib/admin/access';
import { updateAgencyPolicy } from '@/lib/admin/update-agency-policy';
import { defineAction } from '@/lib/auth/guards';
import { requestClientIp } from '@/lib/http/client-ip';
import { z } from 'zod';

// Bounds are checked by the use case (lib/policy/agency-policy.ts), the one place that owns them.
export const updatePolicyAction = defineAction('admin-update-policy', ADMIN_ACCESS, z.record(z.string(), z.unknown()), async (actor, input) => {
  const result = await updateAgencyPolicy(actor, input, await requestClientIp());
  if (!result.ok) return { ok: false, message: result.message, fieldErrors: result.fieldErrors };
  return { ok: true, message: 'The security policy is saved.' };
});
