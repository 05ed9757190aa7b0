'use server';

import { redirect } from 'next/navigation';
import { z } from 'zod';
import { defineAction, PUBLIC, type ActionState } from '@/lib/auth/guards';
import { thisBrowserFromNow } from '@/lib/auth/browser-session';
import { donePath } from '@/lib/http/done-notice';
import { requestNotice } from '@/lib/super-admin/reference';
import { submitRequest } from '@/lib/super-admin/submit-request';

export type RequestFormState = ActionState;

const SUBMITTED_PAGE = '/super-admin-reset/submitted';

const ECHOED = ['providerCode', 'loginName', 'fullName', 'jobTitle', 'workEmail', 'workPhone', 'reason', 'attestation'] as const;

// The form's fields (the checkbox may be absent; the hidden idempotency key is never echoed back).
// Their rules live in the use case's schema, which answers every requester alike.
const requestFormSchema = z.object({
  ...Object.fromEntries(ECHOED.map((name) => [name, z.string().max(4000).optional()])),
  idempotencyKey: z.string().max(200).optional(),
});

// A public form: the use case throttles and answers the same whether or not the request matched.
export const submitRequestAction = defineAction('super-admin-request', PUBLIC, requestFormSchema, async (_actor, input, { ip }): Promise<RequestFormState> => {
  const result = await submitRequest(input, ip);
  // The same page for every accepted request, whether or not it matched an administrator; it shows the
  // reference only as the portal signed it here, for this browser.
  if (result.ok) redirect(donePath(SUBMITTED_PAGE, requestNotice('submitted', result.reference), await thisBrowserFromNow()));
  const typed = Object.entries(input).flatMap(([name, value]) => ((ECHOED as readonly string[]).includes(name) && typeof value === 'string' ? [[name, value.slice(0, 2000)]] : []));
  return { ...result, values: Object.fromEntries(typed) };
});
