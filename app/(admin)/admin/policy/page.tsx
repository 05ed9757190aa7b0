import type { Metadata } from 'next';
import { AdminNav } from '@/components/admin/admin-nav';
import { POLICY_ACCESS } from '@/lib/admin/access';
import { getAgencyPolicy, policyVersion } from '@/lib/admin/update-agency-policy';
import { requirePageActor } from '@/lib/auth/guards';
import { supportedTimeZones } from '@/lib/format/date';
import { POLICY_BOUNDS } from '@/lib/policy/agency-policy';
import { PolicyForm } from './policy-form';

export const metadata: Metadata = { title: 'Security policy' };

const b = POLICY_BOUNDS;
const SETTINGS = [
  { name: 'minPasswordLength', label: 'Minimum password length', hint: `${b.minPasswordLength.min} to ${b.minPasswordLength.max}. 15 or more encourages passphrases.` },
  { name: 'passwordHistoryCount', label: 'Previous passwords that cannot be reused', hint: `${b.passwordHistoryCount.min} to ${b.passwordHistoryCount.max}` },
  { name: 'softLockThreshold', label: 'Failed sign-ins before a short lock', hint: `${b.softLockThreshold.min} to ${b.softLockThreshold.max}. The lock starts at 1 minute and doubles up to 15.` },
  { name: 'hardLockThreshold', label: 'Failed sign-ins in 24 hours before a lock only an admin can end', hint: `${b.hardLockThreshold.min} to ${b.hardLockThreshold.max}. Kept high so strangers cannot lock out your staff.` },
  { name: 'temporaryPasswordHours', label: 'Temporary password lifetime (hours)', hint: `${b.temporaryPasswordHours.min} to ${b.temporaryPasswordHours.max}` },
  { name: 'resetLinkHours', label: 'Reset link lifetime (hours)', hint: `${b.resetLinkHours.min} to ${b.resetLinkHours.max}` },
  { name: 'signInAlertThreshold', label: 'Accounts failing to sign in within 10 minutes before admins are alerted', hint: `${b.signInAlertThreshold.min} to ${b.signInAlertThreshold.max}. At most one alert an hour.` },
] as const;

export default async function PolicyPage() {
  const actor = await requirePageActor(POLICY_ACCESS, '/admin/policy');
  const policy = await getAgencyPolicy(actor.agencyId);
  return (
    <div className="wide-content">
      <AdminNav actor={actor} current="/admin/policy" />
      <h1>Security policy</h1>
      <p>These settings apply to everyone in {actor.agencyName}. They can only be made stricter than the product’s limits allow.</p>
      <PolicyForm policy={policy} version={policyVersion(policy)} settings={[...SETTINGS]} timeZones={supportedTimeZones()} />
    </div>
  );
}
