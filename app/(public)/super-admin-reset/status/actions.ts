'use server';

import { requestClientIp } from '@/lib/http/client-ip';
import { getRequestStatus, type RequestStatusResult } from '@/lib/super-admin/get-request-status';

export type StatusFormState = { ok: boolean; title?: string; detail?: string; message?: string; fieldErrors?: Record<string, string[] | undefined>; values?: Record<string, string> };

export async function lookUpStatusAction(_previous: StatusFormState, formData: FormData): Promise<StatusFormState> {
  const input = { reference: String(formData.get('reference') ?? '').slice(0, 64), loginName: String(formData.get('loginName') ?? '').slice(0, 128) };
  const result: RequestStatusResult = await getRequestStatus(input, await requestClientIp());
  return { ...result, values: input };
}
