import { isOwnLatestChange } from '@/lib/audit/own-latest-change';
import type { VendorActor } from '@/lib/auth/session';
import type { StepName } from './step-done';

/**
 * The steps whose form carries nothing typed, and their records: a second copy is the same step. The
 * checklist, a question to the requester and a rejection carry words, which a second copy may not share.
 */
const UNTYPED_STEP_RECORD: Partial<Record<StepName, string>> = {
  claim: 'SUPER_ADMIN_RESET_CLAIMED',
  verify: 'SUPER_ADMIN_RESET_VERIFIED',
  approve: 'SUPER_ADMIN_RESET_APPROVED',
};

/** Whether what moved the request on is this verifier's own `step`, just now (isOwnLatestChange): their form sent twice. */
export async function isOwnLatestStep(actor: VendorActor, requestId: string, step: StepName): Promise<boolean> {
  const record = UNTYPED_STEP_RECORD[step];
  return record !== undefined && (await isOwnLatestChange({ type: 'SuperAdminResetRequest', id: requestId }, record, actor.vendorAccountId));
}
