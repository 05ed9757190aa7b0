'use client';

import { TypedField } from '@/components/mfa/code-form';
import { RECOVERY_CODE_ONLY_LABEL } from '@/components/mfa/fresh-code-label';

/**
 * The acting admin's own code, asked for on the confirming submit of a console action a session alone must not
 * make (needsFreshFactor in lib/admin/permissions.ts): a code from their app or a recovery code, or only a recovery
 * code to an admin held to passkeys (`appCodesRefused`), whose passkey is the PasskeyButton beside the form's "yes".
 * The hidden `passkey` field is where that button puts its answer.
 */
export function OwnFactorField({ id, hint, appCodesRefused = false, errors }: { id: string; hint: string; appCodesRefused?: boolean; errors?: string[] }) {
  return (
    <>
      <TypedField
        spec={{ name: 'code', label: appCodesRefused ? RECOVERY_CODE_ONLY_LABEL : 'Your code: from your app, or one of your recovery codes', hint, inputMode: 'text', autoComplete: 'one-time-code' }}
        id={id}
        errors={errors}
      />
      <input type="hidden" name="passkey" />
    </>
  );
}
