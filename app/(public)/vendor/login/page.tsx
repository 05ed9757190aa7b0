import type { Metadata } from 'next';
import { SignInForm } from '@/components/auth/sign-in-form';
import { publicPage } from '@/lib/auth/guards';
import { vendorSignInAction } from './actions';

export const metadata: Metadata = { title: 'Vendor staff sign in' };

export default publicPage(function VendorLoginPage() {
  return (
    <>
      <h1>Vendor staff sign in</h1>
      <p className="muted">For CareNotes verification and status staff only. Agency staff sign in on the main sign-in page.</p>
      <SignInForm
        action={vendorSignInAction}
        fields={[
          {
            name: 'email',
            label: 'Work e-mail address',
            type: 'email',
            autoComplete: 'username',
            required: 'Enter your work e-mail address',
          },
        ]}
      />
    </>
  );
});
