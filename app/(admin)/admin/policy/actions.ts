'use server';

import { POLICY_ACCESS } from '@/lib/admin/access';
import { POLICY_SELECT, policyVersion, updateAgencyPolicy } from '@/lib/admin/update-agency-policy';
import { defineAction, type ActionState } from '@/lib/auth/guards';
import { formKeyField, newFormKey } from '@/lib/http/form-key';
import { formOwnerOf } from '@/lib/mfa/account';
import { freshFactorFields } from '@/lib/mfa/check-fresh-second-factor';
import type { AgencyPolicy, PolicyChange } from '@/lib/policy/agency-policy';
import { z } from 'zod';

/**
 * `loosens`: the save waits for the author's own fresh factor, asked for beside these settings made less strict;
 * `askAgain`: the factor sent was missing or wrong (the fields say what), rather than not asked for yet.
 */
export type PolicyState = ActionState & { loosens?: PolicyChange[]; askAgain?: true };

// The form's fields, one per policy setting (a checkbox may be absent), and the version of the policy
// the page showed; bounds are checked by the use case (lib/policy/agency-policy.ts), the one place
// that owns them. A save that makes a setting less strict is sent again with "yes" and the author's factor.
const policyFormSchema = z.object({
  ...Object.fromEntries(Object.keys(POLICY_SELECT).map((key) => [key, z.string().max(64).optional()])),
  seen: z.string().max(64),
  confirm: z.literal('yes').optional(),
  ...freshFactorFields,
  ...formKeyField,
});

export const updatePolicyAction = defineAction('admin-update-policy', POLICY_ACCESS, policyFormSchema, async (actor, { seen, confirm, code, passkey, formKey, ...input }, { ip }): Promise<PolicyState> => {
  const result = await updateAgencyPolicy(actor, input, ip, { seen, confirm, code, passkey, formKey });
  // Saved: the form shows the policy as saved, with a key for its next save (this one's is spent).
  if (result.ok) return { ok: true, message: 'The security policy is saved.', values: formValues(result.value, newFormKey(formOwnerOf(actor))) };
  // Saved by someone else since the page was shown: the form shows what is saved now, with its own key (not spent).
  return { ok: false, message: result.message, fieldErrors: result.fieldErrors, loosens: result.loosens, askAgain: result.askAgain, ...(result.saved && { values: formValues(result.saved, formKey) }) };
});

/** The form showing this policy (a checkbox that is off is absent, as a browser sends it), its version and the form's key. */
function formValues(policy: AgencyPolicy, formKey: string | undefined): Record<string, string> {
  const fields = Object.entries(policy).flatMap(([key, value]) => (value === false ? [] : [[key, value === true ? 'on' : String(value)]]));
  return { ...Object.fromEntries(fields), seen: policyVersion(policy), ...(formKey && { formKey }) };
}
