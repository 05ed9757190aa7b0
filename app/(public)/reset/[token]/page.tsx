import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { newFormKey } from '@/lib/http/form-key';
import { getResetLinkDetails } from '@/lib/password-reset/get-reset-link-state';
import { LinkCannotBeUsed } from './link-cannot-be-used';
import { refusedAsVendor } from '@/lib/password-reset/refused-as-vendor';
import { ResetForm } from './reset-form';
import { publicPage } from '@/lib/auth/guards';

// The path holds the secret: render per request, never cache, never leak it as a referrer
// (next.config.js also sends Referrer-Policy: no-referrer and Cache-Control: no-store here).
export const dynamic = 'force-dynamic';
export const revalidate = 0;
export const metadata: Metadata = { title: 'Choose a new password', referrer: 'no-referrer', robots: { index: false } };

/** Opening the link only checks it; the password form consumes it on submit. */
export default publicPage(async function ResetWithLinkPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  if (await refusedAsVendor('page /reset/[token]')) notFound();
  // Opening it is not counted (decision 027): only a submitted password is.
  const link = await getResetLinkDetails(token);
  return (
    <>
      <h1>Choose a new password</h1>
      {link ? (
        <>
          <p>
            For <strong>{link.loginName}</strong> at <strong>{link.agencyCode}</strong>. Choosing a new password unlocks the
            account and signs it out everywhere.
          </p>
          <ResetForm token={token} formKey={newFormKey()} loginName={link.loginName} agencyCode={link.agencyCode} minLength={link.minPasswordLength} />
        </>
      ) : (
        <LinkCannotBeUsed />
      )}
    </>
  );
});
