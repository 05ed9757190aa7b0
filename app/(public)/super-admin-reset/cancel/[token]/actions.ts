'use server';

import { requestClientIp } from '@/lib/http/client-ip';
import { cancelRequest, type CancelResult } from '@/lib/super-admin/cancel-request';

export type CancelFormState = CancelResult | { ok: false; message?: undefined };

export async function cancelRequestAction(_previous: CancelFormState, formData: FormData): Promise<CancelFormState> {
  return cancelRequest(String(formData.get('token') ?? '').slice(0, 64), await requestClientIp());
}
