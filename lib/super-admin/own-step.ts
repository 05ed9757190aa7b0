import { isOwnLatestChange } from '@/lib/audit/own-latest-change';
import type { VendorActor } from '@/lib/auth/session';
import type { StepName } from './step-done';

const STEP_RECORD: Record<StepName, string> = {
  claim: 'SUPER_ADMIN_RESET_CLAIMED',
  checklist: 'SUPER_ADMIN_RESET_CHECKLIST_SAVED',
  verify: 'SUPER_ADMIN_RESET_VERIFIED',
  'more-info': 'SUPER_ADMIN_RESET_NEEDS_INFO',
  approve: 'SUPER_ADMIN_RESET_APPROVED',
  reject: 'SUPER_ADMIN_RESET_REJECTED',
};

/** Whether what moved the request on is this verifier's own `step`, just now (isOwnLatestChange): their form sent twice. */
export function isOwnLatestStep(actor: VendorActor, requestId: string, step: StepName): Promise<boolean> {
  return isOwnLatestChange({ type: 'SuperAdminResetRequest', id: requestId }, STEP_RECORD[step], actor.vendorAccountId);
}
