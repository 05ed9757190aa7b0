import type { Metadata } from 'next';
import { AdminNav } from '@/components/admin/admin-nav';
import { POLICY_ACCESS } from '@/lib/admin/access';
import { getAgencyPolicy, policyVersion } from '@/lib/admin/update-agency-policy';
import { requirePageActor } from '@/lib/auth/guards';
import { supportedTimeZones } from '@/lib/format/date';
import { newFormKey } from '@/lib/http/form-key';
import { formOwnerOf } from '@/lib/mfa/account';
import { appCodesRefused, hasPasskey } from '@/lib/mfa/passkey-policy';
import { POLICY_BOUNDS, POLICY_LABELS as L } from '@/lib/policy/agency-policy';
import { passkeyConfirmationOptionsAction } from '@/app/(staff)/account/security/actions';
import { PolicyForm } from './policy-form';

export const metadata: Metadata = { title: 'Security policy' };

const b = POLICY_BOUNDS;
const SETTINGS = [
  { name: 'minPasswordLength', label: L.minPasswordLength, hint: `${b.minPasswordLength.min} to ${b.minPasswordLength.max}. 15 or more encourages passphrases.` },
  { name: 'passwordHistoryCount', label: L.passwordHistoryCount, hint: `${b.passwordHistoryCount.min} to ${b.passwordHistoryCount.max}` },
  { name: 'softLockThreshold', label: L.softLockThreshold, hint: `${b.softLockThreshold.min} to ${b.softLockThreshold.max}. The lock starts at 1 minute and doubles up to 15.` },
  { name: 'hardLockThreshold', label: L.hardLockThreshold, hint: `${b.hardLockThreshold.min} to ${b.hardLockThreshold.max}. Kept high so strangers cannot lock out your staff.` },
  { name: 'temporaryPasswordHours', label: L.temporaryPasswordHours, hint: `${b.temporaryPasswordHours.min} to ${b.temporaryPasswordHours.max}` },
  { name: 'resetLinkHours', label: L.resetLinkHours, hint: `${b.resetLinkHours.min} to ${b.resetLinkHours.max}` },
  { name: 'signInAlertThreshold', label: L.signInAlertThreshold, hint: `${b.signInAlertThreshold.min} to ${b.signInAlertThreshold.max}. At most one alert an hour.` },
] as const;
const SWITCHES = [
  { name: 'onlySuperAdminsResetAdmins', label: L.onlySuperAdminsResetAdmins },
  { name: 'requireSecondFactorForAllStaff', label: L.requireSecondFactorForAllStaff },
  { name: 'requirePasskeyForAdmins', label: L.requirePasskeyForAdmins },
] as const;

export default async function PolicyPage() {
  const actor = await requirePageActor(POLICY_ACCESS, '/admin/policy');
  const policy = await getAgencyPolicy(actor.agencyId);
  return (
    <div className="wide-content">
      <AdminNav actor={actor} current="/admin/policy" />
      <h1>Security policy</h1>
      <p>These settings apply to everyone in {actor.agencyName}. They can only be made stricter than the product’s limits allow. Making a setting less strict asks for your own code, and every change is e-mailed to your agency’s super administrators.</p>
      <PolicyForm
        policy={policy}
        version={policyVersion(policy)}
        settings={[...SETTINGS]}
        switches={[...SWITCHES]}
        timeZoneLabel={L.timeZone}
        timeZones={supportedTimeZones()}
        formKey={newFormKey(formOwnerOf(actor))}
        freshPasskey={(await hasPasskey({ kind: 'user', id: actor.userId })) ? passkeyConfirmationOptionsAction : undefined}
        appCodesRefused={await appCodesRefused(actor)}
      />
    </div>
  );
}
