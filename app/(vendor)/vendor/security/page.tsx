import type { Metadata } from 'next';
import { SecurityPanel } from '@/components/mfa/security-panel';
import { requirePageActor } from '@/lib/auth/guards';
import {
  addPasskeyAction,
  confirmTotpAction,
  passkeyConfirmationOptionsAction,
  passkeyRegistrationOptionsAction,
  regenerateCodesAction,
  removeFactorAction,
  startTotpAction,
} from './actions';

export const metadata: Metadata = { title: 'Sign-in security' };

export default async function SecurityPage() {
  const actor = await requirePageActor({ principal: 'vendor', duringEnrolment: true } as const, '/vendor/security');
  return (
    <>
      <SecurityPanel
        actor={actor}
        actions={{
          startTotp: startTotpAction,
          confirmTotp: confirmTotpAction,
          removeFactor: removeFactorAction,
          regenerateCodes: regenerateCodesAction,
          addPasskey: addPasskeyAction,
          passkeyRegistrationOptions: passkeyRegistrationOptionsAction,
          passkeyConfirmationOptions: passkeyConfirmationOptionsAction,
        }}
      />
    </>
  );
}
