import type { Metadata } from 'next';
import { FreshDocument } from '@/components/auth/fresh-document';
import { SignInForm } from '@/components/auth/sign-in-form';
import { SignedOutNotice } from '@/components/auth/signed-out-notice';
import { PasskeyForm } from '@/components/mfa/passkey-form';
import { publicPage } from '@/lib/auth/guards';
import { firstValues, type PageSearchParams } from '@/lib/http/search-params';
import { passkeySignInAction, passkeySignInOptionsAction, vendorSignInAction } from './actions';

export const metadata: Metadata = { title: 'Vendor staff sign in' };

export default publicPage(async function VendorLoginPage({ searchParams }: { searchParams: PageSearchParams }) {
  const { done } = await firstValues(searchParams);
  return (
    <>
      <FreshDocument />
      <h1>Vendor staff sign in</h1>
      <SignedOutNotice page="/vendor/login" done={done} />
      <p className="muted">For CareNotes verification and status staff only. Agency staff sign in on the main sign-in page.</p>
      <SignInForm
        action={vendorSignInAction}
        fields={[
          {
            name: 'email',
            label: 'Work e-mail address',
            type: 'email',
            // "webauthn" lets the browser offer passkeys in this field's autofill (conditional mediation).
            autoComplete: 'username webauthn',
            required: 'Enter your work e-mail address',
          },
        ]}
      />
      <h2>Or use a passkey</h2>
      <PasskeyForm action={passkeySignInAction} optionsAction={passkeySignInOptionsAction} label="Sign in with a passkey" autofill />
    </>
  );
});
