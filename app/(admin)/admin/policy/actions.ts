'use server';

import { ADMIN_ACCESS } from '@/lib/admin/access';
import { POLICY_SELECT, updateAgencyPolicy } from '@/lib/admin/update-agency-policy';
import { defineAction } from '@/lib/auth/guards';
import { z } from 'zod';

// The form's fields, one per policy setting (a checkbox may be absent); bounds are checked by the
// use case (lib/policy/agency-policy.ts), the one place that owns them.
const policyFormSchema = z.object(Object.fromEntries(Object.keys(POLICY_SELECT).map((key) => [key, z.string().max(64).optional()])));

export const updatePolicyAction = defineAction('admin-update-policy', ADMIN_ACCESS, policyFormSchema, async (actor, input, { ip }) => {
  const result = await updateAgencyPolicy(actor, input, ip);
  if (!result.ok) return { ok: false, message: result.message, fieldErrors: result.fieldErrors };
  // The form shows what is now saved (a checkbox that is off is absent, as a browser sends it).
  const saved = Object.entries(result.value).flatMap(([key, value]) => (value === false ? [] : [[key, value === true ? 'on' : String(value)]]));
  return { ok: true, message: 'The security policy is saved.', values: Object.fromEntries(saved) };
});
