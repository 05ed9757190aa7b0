import type { Metadata } from 'next';
import Link from 'next/link';
import { FreshDocument } from '@/components/auth/fresh-document';
import { SignInForm } from '@/components/auth/sign-in-form';
import { SignedOutNotice } from '@/components/auth/signed-out-notice';
import { ProviderCodeHelp } from '@/components/help/provider-code-help';
import { PasskeyForm } from '@/components/mfa/passkey-form';
import { SignInStatusBanner } from '@/components/status/sign-in-status-banner';
import { publicPage } from '@/lib/auth/guards';
import { afterSignInPath } from '@/lib/auth/sign-in-form';
import { firstValues, type PageSearchParams } from '@/lib/http/search-params';
import { passkeySignInAction, passkeySignInOptionsAction, signInAction } from './actions';

export const metadata: Metadata = { title: 'Sign in' };

export default publicPage(async function LoginPage({ searchParams }: { searchParams: PageSearchParams }) {
  const { callbackUrl, done } = await firstValues(searchParams);
  return (
    <>
      <FreshDocument />
      <h1>Sign in to CareNotes</h1>
      <SignedOutNotice page="/login" done={done} />
      <SignInStatusBanner />
      <SignInForm
        action={signInAction}
        callbackPath={afterSignInPath('agency', callbackUrl)}
        fields={[
          {
            name: 'providerCode',
            label: 'Provider code',
            hint: "Your agency's code, for example ACME-NY",
            autoComplete: 'organization',
            required: 'Enter your provider code, for example ACME-NY',
          },
          // "webauthn" lets the browser offer passkeys in this field's autofill (conditional mediation).
          { name: 'loginName', label: 'Login name', autoComplete: 'username webauthn', required: 'Enter your login name' },
        ]}
      />
      <ProviderCodeHelp />
      <h2>Or use a passkey</h2>
      <p>If you added a passkey to your account, you need no password: your fingerprint, face or device PIN signs you in.</p>
      <PasskeyForm
        action={passkeySignInAction}
        optionsAction={passkeySignInOptionsAction}
        label="Sign in with a passkey"
        callbackPath={afterSignInPath('agency', callbackUrl)}
        autofill
      />
      <h2>Cannot sign in?</h2>
      <p>
        <Link href="/help">Follow the sign-in help guide</Link>. Your provider administrator can reset your password
        or unlock your account. CareNotes staff never reset passwords and never ask for yours.
      </p>
    </>
  );
});
