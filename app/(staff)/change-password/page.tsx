import type { Metadata } from 'next';
import { requirePageActor } from '@/lib/auth/guards';
import { getAgencyPasswordRules } from '@/lib/auth/get-agency-password-rules';
import { newFormKey } from '@/lib/http/form-key';
import { formOwnerOf } from '@/lib/mfa/account';
import { hasPasskey } from '@/lib/mfa/passkey-policy';
import { ChangePasswordForm } from './change-password-form';

export const metadata: Metadata = { title: 'Change your password' };

export default async function ChangePasswordPage() {
  const actor = await requirePageActor({ principal: 'agency', duringForcedPasswordChange: true }, '/change-password');
  const rules = await getAgencyPasswordRules(actor.agencyId);
  const withPasskey = await hasPasskey({ kind: 'user', id: actor.userId });
  return (
    <>
      <h1>Change your password</h1>
      {actor.mustChangePassword && (
        <p className="notice warning" role="status">
          You signed in with a temporary password. Choose your own password to continue.
        </p>
      )}
      <ChangePasswordForm minLength={rules.minPasswordLength} withPasskey={withPasskey} formKey={newFormKey(formOwnerOf(actor))} drawnAtVersion={actor.resolvedAtVersion} />
    </>
  );
}
