import type { Metadata } from 'next';
import { SignInForm } from '@/components/auth/sign-in-form';

export const metadata: Metadata = { title: 'Vendor staff sign in' };

export default function VendorLoginPage() {
  return (
    <>
      <h1>Vendor staff sign in</h1>
      <p className="muted">For CareNotes verification and status staff only. Agency staff sign in on the main sign-in page.</p>
      <SignInForm
        provider="vendor"
        callbackPath="/vendor"
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
}
