'use server';

import { redirect } from 'next/navigation';
import { requestClientIp } from '@/lib/http/client-ip';
import { submitRequest } from '@/lib/super-admin/submit-request';

export type RequestFormState = {
  ok: boolean;
  message?: string;
  fieldErrors?: Record<string, string[] | undefined>;
  /** What was typed, so a failed submit does not empty eight fields. None of it is a secret. */
  values?: Record<string, string>;
};

const ECHOED = ['providerCode', 'loginName', 'fullName', 'jobTitle', 'workEmail', 'workPhone', 'reason', 'attestation'];
// The hidden idempotency key is read too (declared in the use case's schema), never echoed back.
const FIELDS = [...ECHOED, 'idempotencyKey'];

// A public form: no session, so no defineAction; zod and the rate limits live in the use case.
export async function submitRequestAction(_previous: RequestFormState, formData: FormData): Promise<RequestFormState> {
  const input = Object.fromEntries(FIELDS.flatMap((name) => (typeof formData.get(name) === 'string' ? [[name, String(formData.get(name))]] : [])));
  const result = await submitRequest(input, await requestClientIp());
  // The same page for every accepted request, whether or not it matched an administrator.
  if (result.ok) redirect(`/super-admin-reset/submitted?reference=${result.reference}`);
  return { ...result, values: Object.fromEntries(Object.entries(input).flatMap(([k, v]) => (ECHOED.includes(k) ? [[k, v.slice(0, 2000)]] : []))) };
}
