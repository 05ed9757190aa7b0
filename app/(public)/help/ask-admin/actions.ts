'use server';

import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { requestClientIp } from '@/lib/http/client-ip';
import { askAdminSchema, requestAdminHelp } from '@/lib/help/request-admin-help';

export type AskAdminState = {
  status: 'idle' | 'invalid' | 'sent' | 'throttled' | 'error';
  fieldErrors?: Partial<Record<'providerCode' | 'loginName' | 'message', string[]>>;
  /** What was typed, to fill the form again after a refusal; never sent back once accepted. */
  values?: { providerCode: string; loginName: string; message: string };
  retryAfterMinutes?: number;
  reference?: string;
};

const text = (value: FormDataEntryValue | null, max: number) => (typeof value === 'string' ? value.slice(0, max) : '');

/** Public form: anyone can post here, so the use case throttles and answers alike for every account. */
export async function askAdminAction(_previous: AskAdminState, formData: FormData): Promise<AskAdminState> {
  const values = {
    providerCode: text(formData.get('providerCode'), 200),
    loginName: text(formData.get('loginName'), 200),
    message: text(formData.get('message'), 2000),
  };
  const parsed = askAdminSchema.safeParse(values);
  if (!parsed.success) return { status: 'invalid', fieldErrors: z.flattenError(parsed.error).fieldErrors, values };
  try {
    const outcome = await requestAdminHelp({ ip: await requestClientIp() }, parsed.data);
    if (outcome.status === 'throttled') {
      return { status: 'throttled', retryAfterMinutes: Math.max(1, Math.ceil(outcome.retryAfterSeconds / 60)), values };
    }
    return { status: 'sent' };
  } catch (error) {
    const reference = randomBytes(4).toString('hex').toUpperCase();
    console.error(`ask-admin failed (reference ${reference})`, error);
    return { status: 'error', reference, values };
  }
}
