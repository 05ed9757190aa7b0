import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { DrawnForProvider } from '@/components/auth/drawn-for';
import { SignOutButton } from '@/components/auth/sign-out-button';
import { PasskeyForm } from '@/components/mfa/passkey-form';
import { VerifyForm } from '@/components/mfa/verify-form';
import { requirePageActor } from '@/lib/auth/guards';
import { afterSignInPath } from '@/lib/auth/sign-in-form';
import { newFormKey } from '@/lib/http/form-key';
import { firstValues, type PageSearchParams } from '@/lib/http/search-params';
import { formOwnerOf, ownerOf } from '@/lib/mfa/account';
import { hasPasskey } from '@/lib/mfa/passkey-policy';
import { passkeyOptionsAction, verifyPasskeyAction, verifySecondFactorAction } from './actions';

export const metadata: Metadata = { title: 'Confirm it is you' };

export default async function VerifyPage({ searchParams }: { searchParams: PageSearchParams }) {
  const actor = await requirePageActor({ principal: 'vendor', duringSecondFactor: true }, '/vendor/login/verify');
  const callbackPath = afterSignInPath('vendor', (await firstValues(searchParams)).callbackUrl);
  if (!actor.secondFactorPending) redirect('/vendor');
  // A passkey is offered only to an account that has one (review r51f F3).
  const withPasskey = await hasPasskey(ownerOf(actor));
  return (
    <>
      <h1>Confirm it is you</h1>
      <p>
        {/* Whose step this is: another account may have signed in on this browser since a tab was opened (review r53a F2). */}
        Your password for <strong>{actor.email}</strong> was right. Now {withPasskey ? 'use your passkey, or type a code from your authenticator app,' : 'type a code from your authenticator app'} to finish signing in.
      </p>
      {/* The code step's forms say whose step it is: another account's sign-in since replaced it (DrawnFor). */}
      <DrawnForProvider drawnFor={newFormKey(formOwnerOf(actor))} tabMark={null}>
        {withPasskey && (
          <>
            <h2>Use a passkey</h2>
            <PasskeyForm action={verifyPasskeyAction} optionsAction={passkeyOptionsAction} label="Use a passkey" callbackPath={callbackPath} primary />
            <h2>Or type a code</h2>
          </>
        )}
        <VerifyForm action={verifySecondFactorAction} callbackPath={callbackPath} />
      </DrawnForProvider>
      <h2>Lost your phone?</h2>
      <p>Type one of your recovery codes instead. If you have none, ask the colleague who runs this portal at CareNotes to clear your second factors.</p>
      <div className="no-print" style={{ marginTop: '2rem' }}>
        <SignOutButton vendor />
      </div>
    </>
  );
}
