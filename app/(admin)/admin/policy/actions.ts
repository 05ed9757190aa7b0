'use server';

import { POLICY_ACCESS } from '@/lib/admin/access';
import { POLICY_SELECT, policyVersion, updateAgencyPolicy } from '@/lib/admin/update-agency-policy';
import { defineAction } from '@/lib/auth/guards';
import type { AgencyPolicy } from '@/lib/policy/agency-policy';
import { z } from 'zod';

// The form's fields, one per policy setting (a checkbox may be absent), and the version of the policy
// the page showed; bounds are checked by the use case (lib/policy/agency-policy.ts), the one place
// that owns them.
const policyFormSchema = z.object({
  ...Object.fromEntries(Object.keys(POLICY_SELECT).map((key) => [key, z.string().max(64).optional()])),
  seen: z.string().max(64),
});

export const updatePolicyAction = defineAction('admin-update-policy', POLICY_ACCESS, policyFormSchema, async (actor, { seen, ...input }, { ip }) => {
  const result = await updateAgencyPolicy(actor, input, ip, { seen });
  if (result.ok) return { ok: true, message: 'The security policy is saved.', values: formValues(result.value) };
  // Saved by someone else since the page was shown: the form shows what is saved now.
  return { ok: false, message: result.message, fieldErrors: result.fieldErrors, ...(result.saved && { values: formValues(result.saved) }) };
});

/** The form showing this policy (a checkbox that is off is absent, as a browser sends it), and its version. */
function formValues(policy: AgencyPolicy): Record<string, string> {
  const fields = Object.entries(policy).flatMap(([key, value]) => (value === false ? [] : [[key, value === true ? 'on' : String(value)]]));
  return { ...Object.fromEntries(fields), seen: policyVersion(policy) };
}
